import DNS01
import Kubernetes
import Logging
import NIOCore
import NIOHTTP1

/// Answers every request: classify (`Endpoint`), authenticate, authorize, handle, and record
/// metrics and one log line. Health is answered before authentication so probes never depend
/// on the cluster. Every answer is JSON or a `v1 Status`; nothing throws.
///
/// A hand-written dispatch rather than a framework's router: the paths are Kubernetes' (the
/// group is a runtime value, unknown names must 404 with what is served, and authorization has
/// to see the path before any route does).
struct WebhookResponder: Sendable {
    let groupName: String
    let authenticator: Authenticator
    let authorizer: Authorizer
    let challenges: ChallengeHandler
    let health: HealthHandler
    let maximumBodyBytes: Int
    let metrics: WebhookMetrics
    let version: DiscoveryDocuments.VersionInfo
    let logger: Logger

    private var solverNames: [String] { challenges.dispatcher.solverNames }

    /// Answers one request, with its `Audit-Id` (the apiserver's, or a new one) echoed.
    func handle(_ request: WebhookRequest) async -> WebhookResponse {
        let auditID = request.headers.first(name: Self.auditID).flatMap { $0.isEmpty ? nil : $0 } ?? RequestLogMetadata.makeAuditID()
        var response = await RequestLogMetadata.$auditID.withValue(auditID) {
            await respond(to: request)
        }
        response.headers.add(name: Self.auditID, value: auditID)
        return response
    }

    func respond(to request: WebhookRequest) async -> WebhookResponse {
        let clock = ContinuousClock()
        let started = clock.now
        let path = request.path
        let endpoint = Endpoint.endpoint(method: request.method, path: path, group: groupName)

        metrics.requestStarted()
        var user: UserIdentity?
        let response = await answer(request, path: path, endpoint: endpoint, user: &user, logger: logger)
        let elapsed = clock.now - started
        metrics.requestFinished(endpoint: endpoint.metricLabel, code: response.code, duration: elapsed)

        if case .health = endpoint {
            logger.trace("health", metadata: ["path": "\(path)", "code": "\(response.code)"])
        } else {
            logger.debug("request", metadata: [
                "method": "\(request.method.rawValue)", "path": "\(path)", "code": "\(response.code)",
                "user": "\(user?.name ?? "-")", "duration": "\(elapsed)",
            ])
        }
        return response
    }

    private func answer(_ request: WebhookRequest, path: String, endpoint: Endpoint, user: inout UserIdentity?, logger: Logger) async -> WebhookResponse {
        if request.bodyTooLarge {
            logger.info("request body too large", metadata: ["path": "\(path)", "limit": "\(maximumBodyBytes)"])
            return Responses.tooLarge(limit: maximumBodyBytes)
        }
        if case .health(let check, let only) = endpoint {
            guard request.method == .GET || request.method == .HEAD else { return methodNotAllowed(request, path: path) }
            return health.respond(check, only: only, verbose: request.hasQueryItem("verbose"))
        }

        switch await authenticator.authenticate(request) {
        case .authenticated(let identity):
            user = identity
        case .anonymous:
            metrics.authenticationFailed(reason: "anonymous")
            logger.info("refused an anonymous request", metadata: ["path": "\(path)"])
            return Responses.unauthorized
        case .rejected(let reasons):
            metrics.authenticationFailed(reason: "rejected")
            logger.warning("authentication failed", metadata: ["path": "\(path)", "reasons": .array(reasons.map { .string($0) })])
            return Responses.unauthorized
        }
        guard let identity = user else { return Responses.unauthorized }

        do {
            if case .denied(let reason) = try await authorizer.authorize(identity, AuthorizationAttributes(method: request.method, path: path)) {
                let attributes = AuthorizationAttributes(method: request.method, path: path)
                let message = Authorizer.forbiddenMessage(user: identity, attributes: attributes, reason: reason)
                metrics.authorizationDenied(kind: { if case .resource = attributes { "resource" } else { "nonresource" } }())
                logger.info("forbidden", metadata: ["user": "\(identity.name)", "message": "\(message)"])
                var details: Kubernetes.Status.Details?
                if case .resource(_, let group, _, let resource, let name, _) = attributes {
                    details = .init(name: name, group: group, kind: resource)
                }
                return Responses.status(.forbidden, reason: "Forbidden", message: message, details: details)
            }
        } catch {
            logger.error("authorization check failed", metadata: ["user": "\(identity.name)", "error": "\(error)"])
            return Responses.status(.internalServerError, reason: "InternalError", message: "the authorization check (SubjectAccessReview) failed: \(error)")
        }

        switch endpoint {
        case .health:
            return Responses.unauthorized  // answered above
        case .version:
            guard request.method == .GET else { return methodNotAllowed(request, path: path) }
            return Responses.json(version)
        case .metrics:
            guard request.method == .GET else { return methodNotAllowed(request, path: path) }
            return WebhookResponse(status: .ok, contentType: "text/plain; version=0.0.4; charset=utf-8", body: ByteBuffer(bytes: metrics.exposition()))
        case .groupList:
            guard request.method == .GET else { return methodNotAllowed(request, path: path) }
            return Responses.json(DiscoveryDocuments.groupList(groupName))
        case .group:
            guard request.method == .GET else { return methodNotAllowed(request, path: path) }
            return Responses.json(DiscoveryDocuments.group(groupName))
        case .resourceList:
            guard request.method == .GET else { return methodNotAllowed(request, path: path) }
            return Responses.json(DiscoveryDocuments.resourceList(group: groupName, solvers: solverNames))
        case .solver(let solver):
            guard challenges.dispatcher.serves(solver) else { return notFound(path, solver: solver, logger: logger) }
            guard request.method == .POST else { return methodNotAllowed(request, path: path) }
            return await challenges.respond(solver: solver, request: request, logger: logger)
        case .unknown:
            return notFound(path, solver: nil, logger: logger)
        }
    }

    /// A 404 that says what is served, because a groupName or solverName typo in the Issuer is
    /// the usual cause ("the server could not find the requested resource").
    private func notFound(_ path: String, solver: String?, logger: Logger) -> WebhookResponse {
        let served = "this webhook serves group \"\(groupName)\" version \(DiscoveryDocuments.version) with solvers: \(solverNames.joined(separator: ", "))"
        let message = solver.map { "solver \"\($0)\" is not served; \(served)" } ?? "the server could not find the requested resource \(path); \(served)"
        logger.info("not found", metadata: ["path": "\(path)"])
        return Responses.status(.notFound, reason: "NotFound", message: message)
    }

    private func methodNotAllowed(_ request: WebhookRequest, path: String) -> WebhookResponse {
        Responses.status(.methodNotAllowed, reason: "MethodNotAllowed", message: "the server does not allow this method on the requested resource: \(request.method.rawValue) \(path)")
    }

    static let auditID = "Audit-Id"
}
