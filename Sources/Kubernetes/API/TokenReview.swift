/// `authentication.k8s.io/v1 TokenReview`: asks the apiserver who a bearer token belongs to.
public struct TokenReview: Codable, Sendable {
    public struct Spec: Codable, Sendable {
        public var token: String
        public var audiences: [String]?
    }

    public struct Status: Codable, Sendable {
        public var authenticated: Bool?
        public var user: UserInfo?
        public var audiences: [String]?
        public var error: String?
    }

    public var apiVersion = "authentication.k8s.io/v1"
    public var kind = "TokenReview"
    public var spec: Spec
    public var status: Status?

    public init(token: String, audiences: [String]? = nil) {
        self.spec = Spec(token: token, audiences: audiences)
    }
}

/// `authentication.k8s.io/v1 UserInfo`: who a request is from.
public struct UserInfo: Codable, Sendable, Hashable {
    public var username: String
    public var uid: String?
    public var groups: [String]?
    public var extra: [String: [String]]?

    public init(username: String, uid: String? = nil, groups: [String]? = nil, extra: [String: [String]]? = nil) {
        self.username = username
        self.uid = uid
        self.groups = groups
        self.extra = extra
    }

    enum CodingKeys: String, CodingKey { case username, uid, groups, extra }

    /// A rejected TokenReview carries `"user": {}`: every field may be absent.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        username = try container.decodeIfPresent(String.self, forKey: .username) ?? ""
        uid = try container.decodeIfPresent(String.self, forKey: .uid)
        groups = try container.decodeIfPresent([String].self, forKey: .groups)
        extra = try container.decodeIfPresent([String: [String]].self, forKey: .extra)
    }
}
