import Logging
import Synchronization

/// The request id (`Audit-Id`) on every log line written while a request is handled, the
/// provider's lines included: a task-local that a `Logger.MetadataProvider` reads when a line
/// is actually written. Setting metadata on the logger per request instead would format it on
/// every request, logged or not.
public enum RequestLogMetadata {
    @TaskLocal static var auditID: String?

    /// Adds `audit-id` to lines written inside a request; install it on every log handler.
    public static let provider = Logger.MetadataProvider {
        guard let auditID else { return [:] }
        return ["audit-id": .string(auditID)]
    }

    /// The id for a request without an `Audit-Id` header (the kube-apiserver always sends
    /// one; direct callers may not): a per-process random prefix and a counter, unique within
    /// the process and cheap to make.
    static func makeAuditID() -> String {
        let sequence = counter.wrappingAdd(1, ordering: .relaxed).newValue
        return processPrefix + String(sequence, radix: 16)
    }

    private static let counter = Atomic<UInt64>(0)
    private static let processPrefix: String = {
        let random = UInt64.random(in: 0..<(1 << 48))
        let hex = String(random, radix: 16)
        return String(repeating: "0", count: 12 - hex.count) + hex + "-"
    }()
}
