import Kubernetes
import Logging
import NIOCore
import NIOHTTP1

/// Answers every request: classify (`Endpoint`), authenticate, authorize, handle, and record
/// metrics and one log line. Health is answered before authentication so probes never depend
/// on the cluster. Every answer is JSON or a `v1 Status`; nothing throws.
///
/// A hand-written dispatch rather than a framework's router: the paths are Kubernetes' (groups
/// and resource names are runtime values, unknown names must 404 with what is served, and
/// authorization has to see the path before any route does).
struct ServerResponder: Sendable {
    let apis: ServedAPIs
    let authenticator: Authenticator
    let authorizer: Authorizer
    let deadlines: RequestDeadlines
    let health: HealthHandler
    let maximumBodyBytes: Int
    let metrics: ServerMetrics
    let version: DiscoveryDocuments.VersionInfo
    let logger: Logger

    /// Answers one request, with its `Audit-Id` (the apiserver's, or a new one) echoed.
    func handle(_ request: APIRequest) async -> APIResponse {
        let auditID = request.headers.first(name: Self.auditID).flatMap { $0.isEmpty ? nil : $0 } ?? RequestLogMetadata.makeAuditID()
        var response = await RequestLogMetadata.$auditID.withValue(auditID) {
            await respond(to: request)
        }
        response.headers.add(name: Self.auditID, value: auditID)
        return response
    }

    func respond(to request: APIRequest) async -> APIResponse {
        let clock = ContinuousClock()
        let started = clock.now
        let path = request.path
        let endpoint = Endpoint.endpoint(method: request.method, path: path, apis: apis)

        metrics.requestStarted()
        var user: UserIdentity?
        let response = await answer(request, path: path, endpoint: endpoint, user: &user, logger: logger)
        let elapsed = clock.now - started
        metrics.requestFinished(endpoint: metricLabel(endpoint), code: response.code, duration: elapsed)

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

    private func answer(_ request: APIRequest, path: String, endpoint: Endpoint, user: inout UserIdentity?, logger: Logger) async -> APIResponse {
        if request.bodyTooLarge {
            logger.info("request body too large", metadata: ["path": "\(path)", "limit": "\(maximumBodyBytes)"])
            return .tooLarge(limit: maximumBodyBytes)
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
            return .unauthorized
        case .rejected(let reasons):
            metrics.authenticationFailed(reason: "rejected")
            logger.warning("authentication failed", metadata: ["path": "\(path)", "reasons": .array(reasons.map { .string($0) })])
            return .unauthorized
        }
        guard let identity = user else { return .unauthorized }

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
                return .status(.forbidden, reason: "Forbidden", message: message, details: details)
            }
        } catch {
            logger.error("authorization check failed", metadata: ["user": "\(identity.name)", "error": "\(error)"])
            return .status(.internalServerError, reason: "InternalError", message: "the authorization check (SubjectAccessReview) failed: \(error)")
        }

        switch endpoint {
        case .health:
            return .unauthorized  // answered above
        case .version:
            guard request.method == .GET else { return methodNotAllowed(request, path: path) }
            return .json(version)
        case .metrics:
            guard request.method == .GET else { return methodNotAllowed(request, path: path) }
            return APIResponse(status: .ok, contentType: "text/plain; version=0.0.4; charset=utf-8", body: ByteBuffer(bytes: metrics.exposition()))
        case .groupList:
            guard request.method == .GET else { return methodNotAllowed(request, path: path) }
            return .json(DiscoveryDocuments.groupList(apis.groups))
        case .group(let index):
            guard request.method == .GET else { return methodNotAllowed(request, path: path) }
            let group = apis.groups[index]
            return .json(DiscoveryDocuments.group(group.name, versions: group.versions))
        case .resourceList(let index):
            guard request.method == .GET else { return methodNotAllowed(request, path: path) }
            let served = apis.groupVersions[index]
            return .json(DiscoveryDocuments.resourceList(group: served.group, version: served.version, resources: served.resources))
        case .resource(let index, let name):
            guard let resource = apis.resource(index, serving: name) else {
                return notFound(path, resource: (apis.noun(index), name), logger: logger)
            }
            guard resource.kind.verbs.contains(AuthorizationAttributes.resourceVerb(method: request.method, hasName: false)) else {
                return methodNotAllowed(request, path: path)
            }
            let context = RequestContext(logger: logger, user: identity.name, deadlines: deadlines)
            return await resource.respond(to: request, name: name, context: context)
        case .unknown:
            return notFound(path, resource: nil, logger: logger)
        }
    }

    /// The `endpoint` label of the request metrics: the kind of endpoint, never the raw path
    /// (unbounded).
    private func metricLabel(_ endpoint: Endpoint) -> String {
        switch endpoint {
        case .health(let check, _): check.rawValue
        case .version: "version"
        case .metrics: "metrics"
        case .groupList, .group, .resourceList: "discovery"
        case .resource(let index, _): apis.noun(index)
        case .unknown: "unknown"
        }
    }

    /// A 404 that says what is served, because a group or resource name typo in the client's
    /// configuration (an Issuer's groupName or solverName) is the usual cause ("the server
    /// could not find the requested resource").
    private func notFound(_ path: String, resource: (noun: String, name: String)?, logger: Logger) -> APIResponse {
        let served = "this server serves \(apis.summary)"
        let message = resource.map { "\($0.noun) \"\($0.name)\" is not served; \(served)" } ?? "the server could not find the requested resource \(path); \(served)"
        logger.info("not found", metadata: ["path": "\(path)"])
        return .status(.notFound, reason: "NotFound", message: message)
    }

    private func methodNotAllowed(_ request: APIRequest, path: String) -> APIResponse {
        .status(.methodNotAllowed, reason: "MethodNotAllowed", message: "the server does not allow this method on the requested resource: \(request.method.rawValue) \(path)")
    }

    static let auditID = "Audit-Id"
}
