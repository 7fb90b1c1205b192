import Kubernetes

/// Who a request is from, after authentication: the user the front proxy vouched for, the
/// subject of a client certificate, or the owner of a bearer token.
struct UserIdentity: Sendable, Hashable, CustomStringConvertible {
    enum Method: String, Sendable { case frontProxy = "front-proxy", clientCertificate = "client-certificate", token }

    var name: String
    var uid: String?
    var groups: [String]
    var extra: [String: [String]]
    var method: Method

    static let authenticatedGroup = "system:authenticated"
    static let mastersGroup = "system:masters"

    /// Adds `system:authenticated`, as the Kubernetes authenticator does for every user it accepts.
    init(name: String, uid: String? = nil, groups: [String], extra: [String: [String]] = [:], method: Method) {
        self.name = name
        self.uid = uid?.isEmpty == true ? nil : uid
        self.groups = groups.contains(Self.authenticatedGroup) ? groups : groups + [Self.authenticatedGroup]
        self.extra = extra
        self.method = method
    }

    var isMaster: Bool { groups.contains(Self.mastersGroup) }

    /// The identity as a SubjectAccessReview names it.
    var userInfo: UserInfo {
        UserInfo(username: name, uid: uid, groups: groups, extra: extra.isEmpty ? nil : extra)
    }

    var description: String { name }
}
