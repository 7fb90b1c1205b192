import DNS01
import ProviderKit

/// The `akamai` block: cert-manager's built-in `akamai` solver's fields with the same meaning,
/// so an Issuer moving here keeps its config:
///
/// ```yaml
/// akamai:
///   serviceConsumerDomain: akab-tho6xie2aiteip8p-poith5aej0peiv6u.luna.akamaiapis.net
///   clientTokenSecretRef: {name: akamai-dns, key: clientToken}
///   clientSecretSecretRef: {name: akamai-dns, key: clientSecret}
///   accessTokenSecretRef: {name: akamai-dns, key: accessToken}
///   endpoint: https://akab-….luna.akamaiapis.net     # optional override (operator only)
/// ```
public struct AkamaiConfiguration: Sendable, Hashable {
    /// The API client's host (`akab-….luna.akamaiapis.net`).
    public var serviceConsumerDomain: String
    public var clientTokenSecretRef: SecretReference
    public var clientSecretSecretRef: SecretReference
    public var accessTokenSecretRef: SecretReference
    /// Where requests go: `https://<serviceConsumerDomain>` unless the operator overrides it.
    public var endpoint: BaseURL
    /// Where the block sits in its document, for messages about its Secret references.
    public var path: ConfigPath

    /// cert-manager's TTL for a record set it creates.
    public static let ttl = 300

    public init(
        serviceConsumerDomain: String, clientTokenSecretRef: SecretReference, clientSecretSecretRef: SecretReference,
        accessTokenSecretRef: SecretReference, endpoint: BaseURL? = nil, path: ConfigPath = .root
    ) {
        self.serviceConsumerDomain = serviceConsumerDomain
        self.clientTokenSecretRef = clientTokenSecretRef
        self.clientSecretSecretRef = clientSecretSecretRef
        self.accessTokenSecretRef = accessTokenSecretRef
        self.endpoint = endpoint ?? BaseURL(authority: serviceConsumerDomain)
        self.path = path
    }

    /// Decodes and validates a block; errors name the field path.
    public static func decode(_ block: ConfigValue, at path: ConfigPath, source: ConfigSource) throws(DNS01Error) -> AkamaiConfiguration {
        var reader = try ConfigReader(block, at: path)
        let domain = try reader.optionalString("serviceConsumerDomain")?.trimmingWhitespace() ?? ""
        guard !domain.isEmpty else {
            throw DNS01Error.invalidConfiguration(at: path.appending("serviceConsumerDomain"), "is required (the host of the API client, such as akab-xxxx.luna.akamaiapis.net)")
        }
        guard let host = BaseURL("https://" + domain), host.path.isEmpty, host.authority == domain.lowercased() else {
            throw DNS01Error.invalidConfiguration(at: path.appending("serviceConsumerDomain"), "must be the API client's host name, such as akab-xxxx.luna.akamaiapis.net (no scheme, no path), got \"\(domain)\"")
        }
        try source.checkEndpoint(host.description, at: path.appending("serviceConsumerDomain"), official: AkamaiPlugin.descriptor.officialHosts)
        let clientToken = try required(&reader, "clientTokenSecretRef", "the client token")
        let clientSecret = try required(&reader, "clientSecretSecretRef", "the client secret")
        let accessToken = try required(&reader, "accessTokenSecretRef", "the access token")
        let endpoint = try reader.optionalBaseURL("endpoint", official: AkamaiPlugin.descriptor.officialHosts, source: source, example: host.description)
        try reader.finish()
        return AkamaiConfiguration(
            serviceConsumerDomain: host.authority, clientTokenSecretRef: clientToken, clientSecretSecretRef: clientSecret,
            accessTokenSecretRef: accessToken, endpoint: endpoint, path: path
        )
    }

    private static func required(_ reader: inout ConfigReader, _ key: String, _ what: String) throws(DNS01Error) -> SecretReference {
        guard let reference = try reader.optionalSecretReference(key) else {
            throw DNS01Error.invalidConfiguration(at: reader.path.appending(key), "is required (a Secret holding \(what) of the Akamai API client); akamai has no ambient credentials")
        }
        return reference
    }
}
