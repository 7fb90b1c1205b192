import DNS01
import Testing

/// The `DNS01Error` that `body` throws, or `nil` when it succeeds; any other error is recorded
/// as a test issue, since providers must turn every failure into a `DNS01Error` with a message.
public func dns01Failure(_ body: () async throws -> Void) async -> DNS01Error? {
    do {
        try await body()
        return nil
    } catch let error as DNS01Error {
        return error
    } catch {
        Issue.record("not a DNS01Error: \(error)")
        return nil
    }
}
