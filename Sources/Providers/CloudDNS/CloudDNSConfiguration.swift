import DNS01
import ProviderKit

/// The `cloudDNS` block: cert-manager's built-in `cloudDNS` solver's fields with the same
/// meaning, so an Issuer moving here keeps its config (cert-manager's old `clouddns` key is
/// accepted too):
///
/// ```yaml
/// cloudDNS:
///   project: my-project                                       # required
///   serviceAccountSecretRef: {name: clouddns-dns01-solver-svc-acct, key: key.json}   # optional
///   hostedZoneName: example-com                               # optional: the managed zone's name
///   # operator only (an Issuer may name Google's own hosts and nothing else):
///   endpoint: https://dns.googleapis.com/dns/v1
///   tokenEndpoint: https://oauth2.googleapis.com/token
///   stsEndpoint: https://sts.googleapis.com/v1/token
///   metadataEndpoint: http://169.254.169.254
/// ```
public struct CloudDNSConfiguration: Sendable, Hashable {
    public var project: String
    /// The service-account key (JSON) Secret; without it, ambient credentials are used.
    public var serviceAccountSecretRef: SecretReference?
    /// A managed zone's name (`example-com`), not its DNS name; skips the zone lookup.
    public var hostedZoneName: String?
    public var endpoint: BaseURL
    /// Set only when the config names one; otherwise the key file's `token_uri` (when an
    /// Issuer may use it) or Google's token endpoint.
    public var tokenEndpoint: BaseURL?
    /// Set only when the config names one; otherwise the `external_account` file's `token_url`.
    public var stsEndpoint: BaseURL?
    /// Set only when the config names one; otherwise `GCE_METADATA_HOST`, then 169.254.169.254.
    public var metadataEndpoint: BaseURL?
    /// Where the block sits in its document, for messages.
    public var path: ConfigPath
    /// Who wrote the block: a key file's `token_uri` is held to the same Issuer policy as the
    /// block's own endpoints, since the Secret comes from the Issuer's namespace.
    public var source: ConfigSource

    public static let defaultEndpoint = BaseURL(authority: "dns.googleapis.com", path: "/dns/v1")
    public static let defaultTokenEndpoint = BaseURL(authority: "oauth2.googleapis.com", path: "/token")
    public static let defaultSTSEndpoint = BaseURL(authority: "sts.googleapis.com", path: "/v1/token")
    public static let defaultMetadataEndpoint = BaseURL(scheme: "http", authority: "169.254.169.254")
    /// cert-manager's TTL for the TXT sets it creates.
    public static let ttl = 60

    public init(
        project: String,
        serviceAccountSecretRef: SecretReference? = nil,
        hostedZoneName: String? = nil,
        endpoint: BaseURL = CloudDNSConfiguration.defaultEndpoint,
        tokenEndpoint: BaseURL? = nil,
        stsEndpoint: BaseURL? = nil,
        metadataEndpoint: BaseURL? = nil,
        path: ConfigPath = .root,
        source: ConfigSource = .operatorConfig
    ) {
        self.project = project
        self.serviceAccountSecretRef = serviceAccountSecretRef
        self.hostedZoneName = hostedZoneName
        self.endpoint = endpoint
        self.tokenEndpoint = tokenEndpoint
        self.stsEndpoint = stsEndpoint
        self.metadataEndpoint = metadataEndpoint
        self.path = path
        self.source = source
    }

    /// Decodes and validates a block; errors name the field path.
    public static func decode(_ block: ConfigValue, at path: ConfigPath, source: ConfigSource) throws(DNS01Error) -> CloudDNSConfiguration {
        var reader = try ConfigReader(block, at: path)
        let official = CloudDNSPlugin.descriptor.officialHosts
        guard let project = try reader.optionalString("project")?.trimmingWhitespace(), !project.isEmpty else {
            throw DNS01Error.invalidConfiguration(at: path.appending("project"), "is required: the ID of the Google Cloud project that holds the managed zones (such as my-project)")
        }
        guard isProjectID(project) else {
            throw DNS01Error.invalidConfiguration(at: path.appending("project"), "must be a Google Cloud project ID (lower-case letters, digits and hyphens, such as my-project), got \"\(project)\"")
        }
        let secretRef = try reader.optionalSecretReference("serviceAccountSecretRef")
        var zoneName = try reader.optionalString("hostedZoneName")?.trimmingWhitespace()
        if zoneName?.isEmpty == true { zoneName = nil }
        if let zoneName, !isManagedZoneName(zoneName) {
            throw DNS01Error.invalidConfiguration(
                at: path.appending("hostedZoneName"),
                "must be the name of a managed zone (such as example-com: lower-case letters, digits and hyphens), not its DNS name; got \"\(zoneName)\"")
        }
        let endpoint = try reader.optionalBaseURL("endpoint", official: official, source: source, example: defaultEndpoint.description)
        let tokenEndpoint = try reader.optionalBaseURL("tokenEndpoint", official: official, source: source, example: defaultTokenEndpoint.description)
        let stsEndpoint = try reader.optionalBaseURL("stsEndpoint", official: official, source: source, example: defaultSTSEndpoint.description)
        let metadataEndpoint = try reader.optionalBaseURL("metadataEndpoint", official: official, source: source, example: defaultMetadataEndpoint.description)
        try reader.finish()
        return CloudDNSConfiguration(
            project: project, serviceAccountSecretRef: secretRef, hostedZoneName: zoneName, endpoint: endpoint ?? defaultEndpoint,
            tokenEndpoint: tokenEndpoint, stsEndpoint: stsEndpoint, metadataEndpoint: metadataEndpoint, path: path, source: source
        )
    }

    /// Project IDs are 6–30 characters; older projects may have a domain prefix
    /// (`example.com:my-project`), which the API takes as it is.
    static func isProjectID(_ text: String) -> Bool {
        text.utf8.count <= 100
            && text.utf8.allSatisfy { ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: ":") }
    }

    /// A managed zone's name: a letter first, then letters, digits and hyphens, at most 63.
    static func isManagedZoneName(_ text: String) -> Bool {
        guard let first = text.utf8.first, (97...122).contains(first), text.utf8.count <= 63 else { return false }
        return text.utf8.allSatisfy { ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) || $0 == UInt8(ascii: "-") }
    }
}
