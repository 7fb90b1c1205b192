import Foundation

/// What the Cloud DNS plugin reads from its surroundings, injectable for tests: the wall
/// clock (token lifetimes and JWT times), the per-request timeout, and how long to wait for a
/// pending change.
public struct CloudDNSEnvironment: Sendable {
    /// How a `pending` change is waited for.
    public struct ChangeWait: Sendable {
        public var interval: Duration
        public var deadline: Duration
        public var sleep: @Sendable (Duration) async throws -> Void

        /// cert-manager polls a pending change every second.
        public init(interval: Duration = .seconds(1), deadline: Duration = .seconds(30), sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }) {
            self.interval = interval
            self.deadline = deadline
            self.sleep = sleep
        }
    }

    public var epochSeconds: @Sendable () -> Int64
    public var requestTimeout: Duration
    public var changeWait: ChangeWait

    public init(
        epochSeconds: @escaping @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970) },
        requestTimeout: Duration = .seconds(15),
        changeWait: ChangeWait = ChangeWait()
    ) {
        self.epochSeconds = epochSeconds
        self.requestTimeout = requestTimeout
        self.changeWait = changeWait
    }
}
