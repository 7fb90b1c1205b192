import DNS01

/// Waits for GetChange to report INSYNC, the way cert-manager does: the first poll at once,
/// then every `interval`; a failed poll does not end the wait, it is remembered for the
/// timeout message.
public struct ChangeSyncWaiter: Sendable {
    public var interval: Duration
    public var timeout: Duration
    public var sleep: @Sendable (Duration) async throws -> Void

    public init(interval: Duration = .seconds(4), timeout: Duration = .seconds(120), sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }) {
        self.interval = interval
        self.timeout = timeout
        self.sleep = sleep
    }

    public func waitUntilInSync(_ changeID: String, client: Route53Client) async throws {
        let clock = ContinuousClock()
        // Within the challenge's budget: the last poll's error, not the caller's timeout, is
        // what the user reads.
        let timeout = ProviderCallScope.clamped(timeout)
        let deadline = clock.now + timeout
        var lastError = "the change was still PENDING"
        while true {
            do {
                if try await client.getChange(id: changeID).isInSync { return }
                lastError = "the change was still PENDING"
            } catch let error as AWSServiceError {
                lastError = error.description
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                lastError = "\(PlainErrorText.describe(error))"
            }
            guard clock.now + interval < deadline else {
                throw DNS01Error(.timedOut, "route53: waiting for the change to be INSYNC: Time limit exceeded. Last error: \(lastError)")
            }
            try await sleep(interval)
        }
    }
}
