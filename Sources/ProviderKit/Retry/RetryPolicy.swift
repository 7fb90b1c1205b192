import DNS01

/// Capped exponential backoff with full jitter, bounded by a total deadline: the shape AWS and
/// Alibaba both recommend for throttling. Sleeping is injectable so tests run instantly and can
/// assert the delays.
public struct RetryPolicy: Sendable {
    public var maximumAttempts: Int
    public var baseDelay: Duration
    public var maximumDelay: Duration
    /// No retry starts after this much time has passed since the first attempt, nor after the
    /// current challenge's budget (`ProviderCallScope`) would end, whichever is sooner.
    public var deadline: Duration
    public var sleep: @Sendable (Duration) async throws -> Void
    public var jitter: @Sendable (Duration) -> Duration

    public init(
        maximumAttempts: Int = 6,
        baseDelay: Duration = .milliseconds(200),
        maximumDelay: Duration = .seconds(5),
        deadline: Duration = .seconds(20),
        sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) },
        jitter: @escaping @Sendable (Duration) -> Duration = RetryPolicy.fullJitter
    ) {
        self.maximumAttempts = maximumAttempts
        self.baseDelay = baseDelay
        self.maximumDelay = maximumDelay
        self.deadline = deadline
        self.sleep = sleep
        self.jitter = jitter
    }

    /// A uniformly random delay between zero and `cap`.
    public static let fullJitter: @Sendable (Duration) -> Duration = { cap in
        let nanoseconds = cap.components.seconds * 1_000_000_000 + cap.components.attoseconds / 1_000_000_000
        return .nanoseconds(Int64.random(in: 0...max(nanoseconds, 0)))
    }

    /// The cap for the delay before retry number `retry` (1-based): `base × 2^(retry-1)`, at most `maximumDelay`.
    public func delayCap(beforeRetry retry: Int) -> Duration {
        let exponent = min(retry - 1, 30)
        let cap = baseDelay * (1 << exponent)
        return min(cap, maximumDelay)
    }

    /// Runs `operation` until it succeeds, fails with an error `shouldRetry` refuses, runs out
    /// of attempts, or the deadline would pass. The last error is rethrown.
    public func run<T: Sendable>(
        shouldRetry: @Sendable (any Error) -> Bool,
        _ operation: @Sendable (_ attempt: Int) async throws -> T
    ) async throws -> T {
        try await run(shouldRetry: shouldRetry, serverDelay: { _ in nil }, operation)
    }

    /// `run(shouldRetry:_:)` for APIs that say how long to wait (`Retry-After`, a rate-limit
    /// reset time): when `serverDelay` gives a wait for the error, the next attempt starts no
    /// sooner than that, and when that wait would pass the deadline the error is thrown at once
    /// instead of sleeping for nothing.
    public func run<T: Sendable>(
        shouldRetry: @Sendable (any Error) -> Bool,
        serverDelay: @Sendable (any Error) -> Duration?,
        _ operation: @Sendable (_ attempt: Int) async throws -> T
    ) async throws -> T {
        let clock = ContinuousClock()
        var end = clock.now + deadline
        if let budgetEnd = ProviderCallScope.current?.deadline, budgetEnd < end { end = budgetEnd }
        var attempt = 1
        while true {
            do {
                return try await operation(attempt)
            } catch {
                guard attempt < maximumAttempts, shouldRetry(error), !Task.isCancelled else { throw error }
                var delay = jitter(delayCap(beforeRetry: attempt))
                if let asked = serverDelay(error), asked > delay { delay = asked }
                guard clock.now + delay < end else { throw error }
                try await sleep(delay)
                attempt += 1
            }
        }
    }
}
