import Foundation
import Synchronization

/// What `/readyz` reports: the serving certificate is loaded and valid, authentication is
/// configured (the ConfigMap has been read, or flags cover it), and no shutdown is under way
/// (so endpoints drop the pod while in-flight challenges finish).
final class Readiness: Sendable {
    private let certificates: ServingCertificateStore
    private let authentication: AuthenticationSettingsStore
    private let shuttingDown = Atomic<Bool>(false)

    init(certificates: ServingCertificateStore, authentication: AuthenticationSettingsStore) {
        self.certificates = certificates
        self.authentication = authentication
    }

    func markShuttingDown() { shuttingDown.store(true, ordering: .relaxed) }

    var isReady: Bool { checks(includingShutdown: true).allSatisfy { $0.failure == nil } }

    /// Each check with its failure reason, `nil` when it passes.
    func checks(includingShutdown: Bool) -> [(name: String, failure: String?)] {
        let notAfter = certificates.current.notAfter
        var results: [(name: String, failure: String?)] = [
            ("serving-certificate", notAfter > Date() ? nil : "the serving certificate expired at \(notAfter)"),
            ("authentication-config", authentication.unavailableReason),
        ]
        if includingShutdown {
            results.append(("shutdown", shuttingDown.load(ordering: .relaxed) ? "the server is shutting down" : nil))
        }
        return results
    }
}
