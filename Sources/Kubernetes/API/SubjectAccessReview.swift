/// `authorization.k8s.io/v1 SubjectAccessReview`: asks the apiserver whether a user may do
/// something. Exactly one of `resourceAttributes` / `nonResourceAttributes` is set.
public struct SubjectAccessReview: Codable, Sendable {
    public struct ResourceAttributes: Codable, Sendable, Hashable {
        public var namespace: String?
        public var verb: String
        public var group: String
        public var version: String?
        public var resource: String
        public var subresource: String?
        public var name: String?

        public init(namespace: String? = nil, verb: String, group: String, version: String? = nil, resource: String, subresource: String? = nil, name: String? = nil) {
            self.namespace = namespace
            self.verb = verb
            self.group = group
            self.version = version
            self.resource = resource
            self.subresource = subresource
            self.name = name
        }
    }

    public struct NonResourceAttributes: Codable, Sendable, Hashable {
        public var path: String
        public var verb: String

        public init(path: String, verb: String) {
            self.path = path
            self.verb = verb
        }
    }

    public struct Spec: Codable, Sendable {
        public var resourceAttributes: ResourceAttributes?
        public var nonResourceAttributes: NonResourceAttributes?
        public var user: String?
        public var groups: [String]?
        public var extra: [String: [String]]?
        public var uid: String?
    }

    public struct Status: Codable, Sendable {
        public var allowed: Bool
        public var denied: Bool?
        public var reason: String?
        public var evaluationError: String?
    }

    public var apiVersion = "authorization.k8s.io/v1"
    public var kind = "SubjectAccessReview"
    public var spec: Spec
    public var status: Status?

    public init(user: UserInfo, resourceAttributes: ResourceAttributes? = nil, nonResourceAttributes: NonResourceAttributes? = nil) {
        self.spec = Spec(
            resourceAttributes: resourceAttributes,
            nonResourceAttributes: nonResourceAttributes,
            user: user.username,
            groups: user.groups,
            extra: user.extra,
            uid: user.uid
        )
    }
}
