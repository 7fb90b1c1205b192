/// `meta/v1 Status`: what the Kubernetes API answers on every error, and what the webhook
/// itself answers on 4xx/5xx so that client-go (kubectl, the aggregator, cert-manager) shows
/// its `message`.
public struct Status: Codable, Sendable, Hashable {
    public struct Details: Codable, Sendable, Hashable {
        public var name: String?
        public var group: String?
        public var kind: String?

        public init(name: String? = nil, group: String? = nil, kind: String? = nil) {
            self.name = name
            self.group = group
            self.kind = kind
        }
    }

    public var kind: String = "Status"
    public var apiVersion: String = "v1"
    public var metadata: [String: String] = [:]
    /// "Failure" or "Success".
    public var status: String?
    public var message: String?
    /// A CamelCase machine-readable reason: `NotFound`, `Forbidden`, `BadRequest`, …
    public var reason: String?
    public var details: Details?
    public var code: Int?

    public init(status: String? = "Failure", message: String?, reason: String?, details: Details? = nil, code: Int?) {
        self.status = status
        self.message = message
        self.reason = reason
        self.details = details
        self.code = code
    }

    enum CodingKeys: String, CodingKey {
        case kind, apiVersion, metadata, status, message, reason, details, code
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        kind = try container.decodeIfPresent(String.self, forKey: .kind) ?? "Status"
        apiVersion = try container.decodeIfPresent(String.self, forKey: .apiVersion) ?? "v1"
        metadata = [:]
        status = try container.decodeIfPresent(String.self, forKey: .status)
        message = try container.decodeIfPresent(String.self, forKey: .message)
        reason = try container.decodeIfPresent(String.self, forKey: .reason)
        details = try? container.decodeIfPresent(Details.self, forKey: .details)
        code = try container.decodeIfPresent(Int.self, forKey: .code)
    }
}
