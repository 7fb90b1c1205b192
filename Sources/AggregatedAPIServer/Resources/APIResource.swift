/// A kind of resource the server serves under `/apis/<group>/<version>/<name>`, under one or
/// more names: what discovery lists for it, which verbs it allows, and how a request to one of
/// its names is answered once the caller is authenticated and authorized for it.
///
/// The server does everything around the answer (TLS, authentication, SubjectAccessReview on
/// the resource attributes, discovery, 404 for names not served, 405 for verbs not allowed,
/// metrics, the request log line); a resource only answers. cert-manager's solvers are one
/// such kind (`ChallengePayload`, verb `create`) under one name per solver.
public protocol APIResource: Sendable {
    /// The API group (`acme.example.com`).
    var group: String { get }
    /// The version within the group (`v1alpha1`).
    var version: String { get }
    /// Every name served, in the order discovery lists them.
    var names: [String] { get }
    /// What discovery says about each name: its kind, scope and verbs.
    var kind: APIResourceKind { get }
    /// What one of the names is called in messages and in the `endpoint` label of the request
    /// metrics (`solver`); default `resource`.
    var noun: String { get }

    /// Whether `name` is served. Asked on every request, so it should be cheap.
    func serves(_ name: String) -> Bool

    /// Answers a request for `name`, which is served, with a verb that `kind.verbs` allows,
    /// from a caller who may make it. Nothing is thrown: every failure is an answer.
    ///
    /// It runs on the connection's event loop, like the rest of the request: work that may
    /// block or take long (anything a plug-in does) goes through `context.deadlines.run`, which
    /// runs it elsewhere and bounds it by the request timeout.
    func respond(to request: APIRequest, name: String, context: RequestContext) async -> APIResponse
}

extension APIResource {
    public var noun: String { "resource" }

    public func serves(_ name: String) -> Bool { names.contains(name) }
}

/// What discovery (`APIResourceList`) says about a resource's names.
public struct APIResourceKind: Sendable, Hashable {
    /// The kind of object a request carries (`ChallengePayload`).
    public var kind: String
    /// The singular name discovery shows (`ChallengePayload` for cert-manager's solvers).
    public var singularName: String
    /// The group and version of `kind` when they are not the served ones (cert-manager's
    /// `webhook.acme.cert-manager.io`, `v1alpha1`).
    public var kindGroup: String?
    public var kindVersion: String?
    public var namespaced: Bool
    /// The Kubernetes verbs allowed (`create`, `get`, `list`, …); a request with another is
    /// answered 405.
    public var verbs: [String]

    public init(kind: String, singularName: String, kindGroup: String? = nil, kindVersion: String? = nil, namespaced: Bool, verbs: [String]) {
        self.kind = kind
        self.singularName = singularName
        self.kindGroup = kindGroup
        self.kindVersion = kindVersion
        self.namespaced = namespaced
        self.verbs = verbs
    }
}
