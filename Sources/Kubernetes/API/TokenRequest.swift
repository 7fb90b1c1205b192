/// `authentication.k8s.io/v1 TokenRequest` (a subresource of a ServiceAccount).
public struct TokenRequest: Codable, Sendable {
    public struct Spec: Codable, Sendable {
        public var audiences: [String]
        public var expirationSeconds: Int?
    }

    public struct Status: Codable, Sendable {
        public var token: String
        public var expirationTimestamp: String?
    }

    public var apiVersion = "authentication.k8s.io/v1"
    public var kind = "TokenRequest"
    public var spec: Spec
    public var status: Status?

    public init(audiences: [String], expirationSeconds: Int?) {
        self.spec = Spec(audiences: audiences, expirationSeconds: expirationSeconds)
    }
}
