import HTTPTypes
import HummingbirdCore

/// What a request addresses, worked out from method and path the way the Kubernetes API
/// server's RequestInfo does: it decides both the handler and the attributes that are
/// authorized (a resource request under `/apis/<g>/<v>/<resource>`, a non-resource path
/// otherwise).
enum Endpoint: Sendable, Equatable {
    enum HealthCheck: String, Sendable { case healthz, livez, readyz }

    /// `/healthz`, `/livez`, `/readyz` and their `/<check>` sub-paths: never authenticated.
    case health(HealthCheck, check: String?)
    case version
    case metrics
    /// `/apis`
    case groupList
    /// `/apis/<group>` for the served group.
    case group
    /// `/apis/<group>/v1alpha1` for the served group.
    case resourceList
    /// `POST /apis/<group>/v1alpha1/<solver>`; `solver` may not be served (404 after authorization).
    case solver(String)
    /// Anything else: 404 after authorization (or 405 for a wrong method on a known path).
    case unknown

    /// The endpoint and its authorization attributes for `method` and `path` (query removed).
    static func classify(method: HTTPRequest.Method, path: String, group: String) -> (Endpoint, AuthorizationAttributes) {
        let segments = path.split(separator: "/", omittingEmptySubsequences: true)
        let verb = method.rawValue.lowercased()
        let nonResource = AuthorizationAttributes.nonResource(path: path.isEmpty ? "/" : path, verb: verb)

        if let first = segments.first, let check = HealthCheck(rawValue: String(first)), segments.count <= 2 {
            return (.health(check, check: segments.count == 2 ? String(segments[1]) : nil), nonResource)
        }
        switch segments.count {
        case 1 where segments[0] == "version": return (.version, nonResource)
        case 1 where segments[0] == "metrics": return (.metrics, nonResource)
        case 1 where segments[0] == "apis": return (.groupList, nonResource)
        case 2 where segments[0] == "apis": return (segments[1] == group ? .group : .unknown, nonResource)
        case 3 where segments[0] == "apis":
            return (segments[1] == group && segments[2] == DiscoveryDocuments.version ? .resourceList : .unknown, nonResource)
        default: break
        }
        guard segments.count >= 4, segments[0] == "apis" else { return (.unknown, nonResource) }
        // /apis/<group>/<version>/<resource>[/<name>[/<subresource>]]: a resource request.
        let attributes = AuthorizationAttributes.resource(
            verb: resourceVerb(method: method, hasName: segments.count >= 5),
            group: String(segments[1]),
            version: String(segments[2]),
            resource: String(segments[3]),
            name: segments.count >= 5 ? String(segments[4]) : nil,
            subresource: segments.count >= 6 ? String(segments[5]) : nil
        )
        let isSolver = segments.count == 4 && segments[1] == group && segments[2] == DiscoveryDocuments.version
        return (isSolver ? .solver(String(segments[3])) : .unknown, attributes)
    }

    /// The Kubernetes verb of a resource request.
    private static func resourceVerb(method: HTTPRequest.Method, hasName: Bool) -> String {
        switch method {
        case .get, .head: hasName ? "get" : "list"
        case .post: "create"
        case .put: "update"
        case .patch: "patch"
        case .delete: hasName ? "delete" : "deletecollection"
        default: method.rawValue.lowercased()
        }
    }

    /// A label value for metrics: the kind of endpoint, never the raw path (unbounded).
    var metricLabel: String {
        switch self {
        case .health(let check, _): check.rawValue
        case .version: "version"
        case .metrics: "metrics"
        case .groupList, .group, .resourceList: "discovery"
        case .solver: "solver"
        case .unknown: "unknown"
        }
    }
}

/// What is being authorized: a resource verb (`create` on `<solver>` in `<group>`) or a
/// non-resource path (`get` on `/apis`).
enum AuthorizationAttributes: Sendable, Hashable {
    case resource(verb: String, group: String, version: String, resource: String, name: String?, subresource: String?)
    case nonResource(path: String, verb: String)
}
