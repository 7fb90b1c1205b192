import Synchronization

/// What one challenge's provider work runs under: a time budget, and who counts its provider
/// requests.
///
/// The caller sets it around `ChallengeDispatcher.perform` (`serve` from `--request-timeout`
/// less a margin, the CLI from `--timeout`). ProviderKit's transport and retry loop read it,
/// so every provider request and retry ends within the budget without a provider knowing:
/// the provider's own error (its endpoint and cause) then reaches cert-manager's
/// `status.message`, rather than the caller's "timed out".
public final class ProviderCallScope: Sendable {
    /// The scope of the challenge this task works for, if any.
    @TaskLocal public static var current: ProviderCallScope?

    /// The budget given, for messages.
    public let budget: Duration
    /// No provider request or wait may go on past this.
    public let deadline: ContinuousClock.Instant
    public let recorder: (any ProviderRequestRecorder)?
    private let routed = Mutex<String?>(nil)

    public init(budget: Duration, recorder: (any ProviderRequestRecorder)? = nil) {
        self.budget = budget
        self.deadline = .now + budget
        self.recorder = recorder
    }

    /// Runs `body` with this scope as `current`.
    public func run<T: Sendable>(_ body: () async throws -> T) async rethrows -> T {
        try await Self.$current.withValue(self, operation: body)
    }

    /// Time left until the deadline (negative once it passed).
    public var remaining: Duration { deadline - .now }

    /// The plugin the dispatcher routed the challenge to (`route53`), once it did.
    public var provider: String? {
        get { routed.withLock { $0 } }
        set { routed.withLock { $0 = newValue } }
    }

    /// `duration`, cut to the time left in the current scope (never below zero); `duration`
    /// itself outside a scope. For a provider's own waits (polling, a program's timeout).
    public static func clamped(_ duration: Duration) -> Duration {
        guard let current else { return duration }
        return max(.zero, min(duration, current.remaining))
    }
}

/// How one provider request ended, as `dns01_webhook_provider_requests_total` counts it.
public enum ProviderRequestOutcome: String, Sendable, CaseIterable {
    case success
    /// Refused for the provider's rate limit (each try counts).
    case throttled
    /// Any other failure: credentials, permissions, a missing zone, the network, an outage.
    case error
}

/// Receives every provider request a challenge makes (the server's metrics).
public protocol ProviderRequestRecorder: Sendable {
    /// `provider` is the plugin name (`route53`), `operation` the provider's name for the
    /// request (`ChangeResourceRecordSets`, `AddDomainRecord`, `POST /present`).
    func providerRequest(provider: String, operation: String, outcome: ProviderRequestOutcome, duration: Duration)
}
