import DNS01
import ProviderKit

/// The `cloudflare` block: cert-manager's built-in `cloudflare` solver's fields with the same
/// meaning, so an Issuer moving here keeps its config:
///
/// ```yaml
/// cloudflare:
///   apiTokenSecretRef: {name: cloudflare-api-token-secret, key: api-token}   # recommended
///   # or the global API key, which needs the account's email:
///   email: my-cloudflare-acc@example.com
///   apiKeySecretRef: {name: cloudflare-api-key-secret, key: api-key}
///   endpoint: https://api.cloudflare.com/client/v4    # optional override (operator only)
/// ```
public struct CloudflareConfiguration: Sendable, Hashable {
    /// How the block authenticates: exactly one of the two.
    public enum Credentials: Sendable, Hashable {
        /// `apiTokenSecretRef`: `Authorization: Bearer <token>`.
        case apiToken(SecretReference)
        /// `email` and `apiKeySecretRef`: `X-Auth-Email` and `X-Auth-Key`.
        case apiKey(email: String, SecretReference)
    }

    public var credentials: Credentials
    /// The API base URL.
    public var endpoint: BaseURL
    /// Where the block sits in its document, for messages about its Secret references.
    public var path: ConfigPath

    /// Cloudflare's API base.
    public static let defaultEndpoint = BaseURL(authority: "api.cloudflare.com", path: "/client/v4")
    /// cert-manager's TTL for challenge records (Cloudflare's minimum apart from "automatic").
    public static let ttl = 60

    public init(credentials: Credentials, endpoint: BaseURL = CloudflareConfiguration.defaultEndpoint, path: ConfigPath = .root) {
        self.credentials = credentials
        self.endpoint = endpoint
        self.path = path
    }

    /// The path of the field that names the credential Secret.
    var secretField: ConfigPath {
        switch credentials {
        case .apiToken: path.appending("apiTokenSecretRef")
        case .apiKey: path.appending("apiKeySecretRef")
        }
    }

    /// Decodes and validates a block; messages use cert-manager's wording after the field path.
    public static func decode(_ block: ConfigValue, at path: ConfigPath, source: ConfigSource) throws(DNS01Error) -> CloudflareConfiguration {
        var reader = try ConfigReader(block, at: path)
        let email = try reader.optionalString("email")?.trimmingWhitespace()
        let keyRef = try reader.optionalSecretReference("apiKeySecretRef")
        let tokenRef = try reader.optionalSecretReference("apiTokenSecretRef")
        let endpoint = try reader.optionalBaseURL("endpoint", official: CloudflarePlugin.descriptor.officialHosts, source: source, example: defaultEndpoint.description)
        try reader.finish()

        let credentials: Credentials
        switch (keyRef, tokenRef) {
        case (.some, .some):
            throw DNS01Error.invalidConfiguration(at: path, "apiKeySecretRef and apiTokenSecretRef cannot both be specified: keep apiTokenSecretRef (an API token with Zone:Read and DNS:Edit), or apiKeySecretRef with email")
        case (nil, nil):
            throw DNS01Error.invalidConfiguration(at: path, "apiKeySecretRef or apiTokenSecretRef is required (an API token with Zone:Read and DNS:Edit is recommended); cloudflare has no ambient credentials")
        case (.some(let key), nil):
            guard let email, !email.isEmpty else {
                throw DNS01Error.invalidConfiguration(at: path.appending("email"), "is required with apiKeySecretRef (the email of the Cloudflare account the global API key belongs to)")
            }
            guard email.contains("@"), !email.contains(where: { $0.isWhitespace || $0.asciiValue.map { $0 < 0x20 || $0 == 0x7F } ?? false }) else {
                throw DNS01Error.invalidConfiguration(at: path.appending("email"), "must be the email address of the Cloudflare account, got \"\(email)\"")
            }
            credentials = .apiKey(email: email, key)
        case (nil, .some(let token)):
            credentials = .apiToken(token)
        }
        return CloudflareConfiguration(credentials: credentials, endpoint: endpoint ?? defaultEndpoint, path: path)
    }
}
