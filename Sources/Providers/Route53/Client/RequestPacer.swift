import Synchronization

/// A client-side token bucket: Route53 allows 5 requests/s per account, and a webhook that
/// exceeds it only earns Throttling answers and slower retries (and starves external-dns and
/// others sharing the account). Each request reserves a slot and sleeps until it comes.
public final class RequestPacer: Sendable {
    private struct State {
        var tokens: Double
        var updated: ContinuousClock.Instant
    }
    private let state: Mutex<State>
    public let requestsPerSecond: Double
    public let burst: Double

    public init(requestsPerSecond: Double, burst: Double) {
        self.requestsPerSecond = requestsPerSecond
        self.burst = burst
        state = Mutex(State(tokens: burst, updated: .now))
    }

    /// Waits until this request may go.
    public func acquire() async throws {
        let wait: Duration = state.withLock { state in
            let now = ContinuousClock.now
            let elapsed = now - state.updated
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            state.tokens = min(burst, state.tokens + seconds * requestsPerSecond)
            state.updated = now
            state.tokens -= 1
            return state.tokens >= 0 ? .zero : .milliseconds(Int64((-state.tokens / requestsPerSecond) * 1000))
        }
        if wait > .zero { try await Task.sleep(for: wait) }
    }
}
