import DNS01

/// The `gandi` config block: Gandi LiveDNS (API v5). `apiKeySecretRef` is the field both Gandi
/// webhooks (bwolf/cert-manager-webhook-gandi and krancovia/cert-manager-webhook-gandi) use,
/// so an Issuer moving here keeps its config:
///
/// ```yaml
/// gandi:
///   apiKeySecretRef: {name: gandi-access-token, key: token}   # a personal access token…
///   apiKeyType: personalAccessToken                          # …(default), or apiKey for a legacy API key
///   ttl: 300                                                 # optional, Gandi's minimum
///   endpoint: https://api.gandi.net/v5/livedns               # optional override
/// ```
public struct GandiConfiguration: Sendable, Hashable {
    /// What the Secret holds, which decides the `Authorization` scheme.
    public enum APIKeyType: String, Sendable, Hashable, CaseIterable {
        /// A personal access token: `Authorization: Bearer <token>` (Gandi's current way).
        case personalAccessToken
        /// A legacy API key: `Authorization: Apikey <key>` (deprecated by Gandi).
        case apiKey
    }

    public var apiKeyRef: SecretReference
    public var apiKeyType: APIKeyType
    public var ttl: Int
    /// The LiveDNS base URL, without a trailing slash.
    public var endpoint: String

    public static let defaultEndpoint = "https://api.gandi.net/v5/livedns"
    /// The lowest TTL LiveDNS accepts.
    public static let defaultTTL = 300

    public init(apiKeyRef: SecretReference, apiKeyType: APIKeyType = .personalAccessToken, ttl: Int = GandiConfiguration.defaultTTL, endpoint: String = GandiConfiguration.defaultEndpoint) {
        self.apiKeyRef = apiKeyRef
        self.apiKeyType = apiKeyType
        self.ttl = ttl
        self.endpoint = endpoint
    }

    /// Decodes and validates a block; errors name the field path.
    public static func decode(_ block: ConfigValue, at path: ConfigPath, source: ConfigSource) throws(DNS01Error) -> GandiConfiguration {
        var reader = try ConfigReader(block, at: path)
        let reference = try reader.secretReference("apiKeySecretRef")
        var type = APIKeyType.personalAccessToken
        if let text = try reader.optionalString("apiKeyType") {
            guard let parsed = APIKeyType(rawValue: text) else {
                throw DNS01Error.invalidConfiguration(at: path.appending("apiKeyType"), "must be personalAccessToken (a Gandi personal access token, the default) or apiKey (a legacy Gandi API key), got \"\(text)\"")
            }
            type = parsed
        }
        let ttl = try reader.optionalInt("ttl", in: 300...2_592_000) ?? defaultTTL
        var endpoint = defaultEndpoint
        if var text = try reader.optionalString("endpoint")?.trimmingWhitespace(), !text.isEmpty {
            while text.hasSuffix("/") { text.removeLast() }
            try source.checkEndpoint(text, at: path.appending("endpoint"), official: GandiPlugin.descriptor.officialHosts)
            guard EndpointPrefix(text) != nil else {
                throw DNS01Error.invalidConfiguration(at: path.appending("endpoint"), "must be an http:// or https:// URL such as https://api.gandi.net/v5/livedns, got \"\(text)\"")
            }
            endpoint = text
        }
        try reader.finish()
        return GandiConfiguration(apiKeyRef: reference, apiKeyType: type, ttl: ttl, endpoint: endpoint)
    }
}
