import AggregatedAPIServer
import DNS01
import Logging
import NIOCore

/// cert-manager's webhook-solver API as a resource of the aggregated API server:
/// `POST /apis/<group>/v1alpha1/<solver>` with a `ChallengePayload`, one name per solver the
/// dispatcher serves (`dispatch` and every plugin).
///
/// Reads the payload, runs Present or CleanUp through the shared dispatcher off the event
/// loops and within the request deadline, and answers 201 with the request echoed and a
/// `response`. Malformed input is a 400; a provider failure or a timeout is `success:false`
/// with a message, which cert-manager shows and retries.
public struct ChallengeHandler: APIResource {
    /// The version cert-manager calls (`/apis/<group>/v1alpha1/<solver>`).
    public static let apiVersion = "v1alpha1"

    public let group: String
    public let dispatcher: ChallengeDispatcher
    let metrics: ChallengeMetrics

    /// - Parameter group: the API group served (the Issuers' `webhook.groupName`).
    public init(group: String, dispatcher: ChallengeDispatcher, metrics: ChallengeMetrics) {
        self.group = group
        self.dispatcher = dispatcher
        self.metrics = metrics
    }

    /// What discovery lists for every solver, as cert-manager's own webhooks do.
    public static let payloadKind = APIResourceKind(
        kind: "ChallengePayload", singularName: "ChallengePayload",
        kindGroup: "webhook.acme.cert-manager.io", kindVersion: "v1alpha1",
        namespaced: false, verbs: ["create"]
    )

    public var version: String { Self.apiVersion }
    public var names: [String] { dispatcher.solverNames }
    public var noun: String { "solver" }
    // Made once: the server reads the verbs on every request.
    public var kind: APIResourceKind { Self.payloadKind }

    public func serves(_ name: String) -> Bool { dispatcher.serves(name) }

    public func respond(to request: APIRequest, name solver: String, context: RequestContext) async -> APIResponse {
        let logger = context.logger
        let payload: ChallengePayload
        do {
            payload = try ChallengePayload.decode(request.body)
        } catch {
            logger.info("malformed ChallengePayload", metadata: ["solver": "\(solver)", "problem": "\(error.message)"])
            return .status(.badRequest, reason: "BadRequest", message: error.message)
        }

        let challenge = payload.challenge
        // Built only when a line is logged (metadata is an autoclosure).
        func details(_ extra: Logger.Metadata) -> Logger.Metadata {
            extra.merging([
                "solver": "\(solver)", "action": "\(challenge.action.rawValue)",
                "fqdn": "\(challenge.resolvedFQDN.fqdn)", "namespace": "\(challenge.resourceNamespace)",
            ]) { $1 }
        }

        let clock = ContinuousClock()
        let started = clock.now
        let dispatcher = self.dispatcher
        // The provider's requests and retries end a margin before the request deadline, so
        // its own error (the endpoint and the cause) is what cert-manager shows.
        let scope = ProviderCallScope(budget: Self.providerBudget(within: context.deadlines.timeout), recorder: metrics)
        // Off the event loop: whatever the provider does (a blocking read, a slow lookup)
        // holds up this answer only.
        let outcome = await context.deadlines.run { () -> Result<Route, any Error> in
            await scope.run {
                do {
                    // Answered already (deadline, closed connection) before a thread was free to
                    // start it: the provider is not called at all.
                    try Task.checkCancellation()
                    return .success(try await dispatcher.perform(challenge, solver: solver))
                } catch {
                    return .failure(error)
                }
            }
        }
        let elapsed = clock.now - started
        let provider = scope.provider ?? ""
        let reply: ChallengeReply
        switch outcome {
        case .finished(.success(let route)):
            metrics.challenge(solver: solver, action: challenge.action.rawValue, outcome: "success", provider: provider, providerDuration: elapsed)
            logger.info("challenge \(challenge.action == .present ? "presented" : "cleaned up")", metadata: details(["route": "\(route)", "duration": "\(elapsed)"]))
            reply = .success(echo: payload.echo, echoBytes: payload.echoBytes, uid: challenge.uid)
        case .finished(.failure(let error)):
            let message = PlainErrorText.describe(error)
            metrics.challenge(solver: solver, action: challenge.action.rawValue, outcome: "failure", provider: provider, providerDuration: elapsed)
            logger.warning("challenge failed", metadata: details(["error": "\(message)", "code": "\((error as? DNS01Error)?.code.description ?? "unexpected")", "duration": "\(elapsed)"]))
            reply = .failure(echo: payload.echo, echoBytes: payload.echoBytes, uid: challenge.uid, message: message)
        case .timedOut:
            let message = "\(challenge.action.rawValue) for \(challenge.resolvedFQDN.fqdn) did not finish within the webhook's --request-timeout of \(context.deadlines.timeout); cert-manager will retry"
            metrics.challenge(solver: solver, action: challenge.action.rawValue, outcome: "timeout", provider: provider, providerDuration: elapsed)
            logger.warning("challenge timed out", metadata: details(["timeout": "\(context.deadlines.timeout)"]))
            reply = .failure(echo: payload.echo, echoBytes: payload.echoBytes, uid: challenge.uid, message: message)
        }
        return APIResponse(status: .created, contentType: "application/json", body: ByteBuffer(bytes: reply.jsonBytes()))
    }

    /// The provider's share of a request deadline: a tenth less, at least half a second and at
    /// most three seconds less (25 s → 22.5 s), which leaves the answer time to reach
    /// cert-manager through the aggregator.
    static func providerBudget(within timeout: Duration) -> Duration {
        let margin = min(max(timeout / 10, .milliseconds(500)), .seconds(3))
        return max(timeout - margin, timeout / 2)
    }
}
