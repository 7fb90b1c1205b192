import Kubernetes
import ProviderKit

/// Decides whether an authenticated user may do what a request asks, as a delegated
/// Kubernetes authorizer: `system:masters` always, the always-allow paths always, everything
/// else by SubjectAccessReview. Allowed and denied answers are cached (separate TTLs);
/// failures to ask are not.
struct Authorizer: Sendable {
    enum Decision: Sendable, Equatable {
        case allowed
        /// The SubjectAccessReview's reason, if it gave one.
        case denied(reason: String?)
    }

    struct Settings: Sendable {
        var alwaysAllowPaths: [String] = ["/healthz", "/readyz", "/livez"]
        var allowedTTL: Duration = .seconds(10)
        var deniedTTL: Duration = .seconds(10)
    }

    private struct CacheKey: Hashable, Sendable {
        var user: UserIdentity
        var attributes: AuthorizationAttributes
    }

    let client: KubernetesClient?
    let settings: Settings
    private let cache = ExpiringCache<CacheKey, Decision>(maximumEntries: 4096)

    init(client: KubernetesClient?, settings: Settings) {
        self.client = client
        self.settings = settings
    }

    /// `attributes` are worked out only when needed (not for `system:masters`).
    func authorize(_ user: UserIdentity, _ attributes: @autoclosure () -> AuthorizationAttributes) async throws -> Decision {
        if user.isMaster { return .allowed }
        let attributes = attributes()
        if case .nonResource(let path, _) = attributes, settings.alwaysAllowPaths.contains(where: { Self.matches(path, $0) }) {
            return .allowed
        }
        guard let client else {
            return .denied(reason: "no cluster connection for SubjectAccessReview; only system:masters is allowed")
        }
        let settings = self.settings
        return try await cache.value(for: CacheKey(user: user, attributes: attributes)) {
            let review = SubjectAccessReview(user: user.userInfo, attributes: attributes)
            let answer: SubjectAccessReview = try await client.create("/apis/authorization.k8s.io/v1/subjectaccessreviews", review)
            guard let status = answer.status, status.allowed else {
                let reason = answer.status?.reason.flatMap { $0.isEmpty ? nil : $0 }
                return (.denied(reason: reason), settings.deniedTTL)
            }
            return (.allowed, settings.allowedTTL)
        }
    }

    /// `--authorization-always-allow-paths` entries are exact, or prefixes ending in `*`.
    private static func matches(_ path: String, _ pattern: String) -> Bool {
        pattern.hasSuffix("*") ? path.hasPrefix(pattern.dropLast()) : path == pattern
    }

    /// The Kubernetes "forbidden" message for a denied request.
    static func forbiddenMessage(user: UserIdentity, attributes: AuthorizationAttributes, reason: String?) -> String {
        let suffix = reason.map { ": \($0)" } ?? ""
        switch attributes {
        case .resource(let verb, let group, _, let resource, let name, _):
            let subject = name.map { "\(resource).\(group) \"\($0)\"" } ?? "\(resource).\(group)"
            return "\(subject) is forbidden: User \"\(user.name)\" cannot \(verb) resource \"\(resource)\" in API group \"\(group)\" at the cluster scope\(suffix)"
        case .nonResource(let path, let verb):
            return "forbidden: User \"\(user.name)\" cannot \(verb) path \"\(path)\"\(suffix)"
        }
    }
}

extension SubjectAccessReview {
    init(user: UserInfo, attributes: AuthorizationAttributes) {
        switch attributes {
        case .resource(let verb, let group, let version, let resource, let name, let subresource):
            self.init(user: user, resourceAttributes: ResourceAttributes(verb: verb, group: group, version: version, resource: resource, subresource: subresource, name: name))
        case .nonResource(let path, let verb):
            self.init(user: user, nonResourceAttributes: NonResourceAttributes(path: path, verb: verb))
        }
    }
}
