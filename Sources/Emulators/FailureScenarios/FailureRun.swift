import DNS01
import Logging
import Synchronization

/// What one Present against a failing endpoint came to.
public struct FailureOutcome: Sendable {
    /// From the call to its error.
    public let elapsed: Duration
    /// Requests the provider sent (each try counts).
    public let requests: Int
    /// The message cert-manager (or the CLI) would show; `nil` if Present succeeded.
    public let message: String?
}

extension FailureSubject {
    /// Runs one Present for `_acme-challenge.www.example.com` through the dispatcher, as
    /// `serve` runs it: within a `ProviderCallScope` of `budget` that counts the requests.
    public func present(against baseURL: String, budget: Duration) async throws -> FailureOutcome {
        let dispatcher = try self.dispatcher(against: baseURL)
        let fqdn = try DomainName("_acme-challenge.www.example.com")
        let challenge = Challenge(
            action: .present, dnsName: try DomainName("www.example.com"), resolvedFQDN: fqdn, resolvedZone: try DomainName("example.com"),
            key: "failure-key-0123456789abcdefghijklmnopqrstuvw", resourceNamespace: Self.namespace
        )
        let counter = RequestCounter()
        let scope = ProviderCallScope(budget: budget, recorder: counter)
        let clock = ContinuousClock()
        let start = clock.now
        var message: String?
        do {
            try await scope.run { _ = try await dispatcher.perform(challenge, solver: name) }
        } catch {
            message = PlainErrorText.describe(error)
        }
        return FailureOutcome(elapsed: clock.now - start, requests: counter.count, message: message)
    }
}

extension FailureSubject {
    /// A dispatcher whose default config is this provider against `baseURL`, reading this
    /// subject's Secrets in `namespace`.
    public func dispatcher(against baseURL: String) throws -> ChallengeDispatcher {
        try ChallengeDispatcher(
            registry: registry, defaultConfig: .object([name: config(baseURL)]), secrets: secrets,
            logger: Logger(label: "failures", factory: { _ in SwiftLogNoOpLogHandler() }), environment: [:]
        )
    }

    /// The namespace the subject's Secrets are in.
    public var namespace: String { Self.namespace }
}

private final class RequestCounter: ProviderRequestRecorder {
    private let requests = Mutex(0)

    var count: Int { requests.withLock { $0 } }

    func providerRequest(provider: String, operation: String, outcome: ProviderRequestOutcome, duration: Duration) {
        requests.withLock { $0 += 1 }
    }
}
