import DNS01
import ProviderKit

/// The `digitalocean` block: cert-manager's built-in `digitalocean` solver's one field, with
/// the same meaning, so an Issuer moving here keeps its config:
///
/// ```yaml
/// digitalocean:
///   tokenSecretRef: {name: digitalocean-dns, key: access-token}   # a personal access token
///   endpoint: https://api.digitalocean.com                        # optional override (operator only)
/// ```
public struct DigitalOceanConfiguration: Sendable, Hashable {
    public var tokenSecretRef: SecretReference
    /// The API base URL (requests go to `<endpoint>/v2/…`).
    public var endpoint: BaseURL
    /// Where the block sits in its document, for messages about its Secret reference.
    public var path: ConfigPath

    public static let defaultEndpoint = BaseURL(authority: "api.digitalocean.com")
    /// cert-manager's TTL for challenge records.
    public static let ttl = 60

    public init(tokenSecretRef: SecretReference, endpoint: BaseURL = DigitalOceanConfiguration.defaultEndpoint, path: ConfigPath = .root) {
        self.tokenSecretRef = tokenSecretRef
        self.endpoint = endpoint
        self.path = path
    }

    /// Decodes and validates a block; errors name the field path.
    public static func decode(_ block: ConfigValue, at path: ConfigPath, source: ConfigSource) throws(DNS01Error) -> DigitalOceanConfiguration {
        var reader = try ConfigReader(block, at: path)
        guard let token = try reader.optionalSecretReference("tokenSecretRef") else {
            throw DNS01Error.invalidConfiguration(at: path.appending("tokenSecretRef"), "is required (a Secret holding a DigitalOcean personal access token with read and write scope); digitalocean has no ambient credentials")
        }
        let endpoint = try reader.optionalBaseURL("endpoint", official: DigitalOceanPlugin.descriptor.officialHosts, source: source, example: defaultEndpoint.description)
        try reader.finish()
        return DigitalOceanConfiguration(tokenSecretRef: token, endpoint: endpoint ?? defaultEndpoint, path: path)
    }
}
