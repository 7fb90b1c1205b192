import DNS01
import ProviderKit

/// The `acmeDNS` block: cert-manager's built-in `acmeDNS` solver's fields with the same
/// meaning, so an Issuer moving here keeps its config:
///
/// ```yaml
/// acmeDNS:
///   host: https://auth.acme-dns.io
///   accountSecretRef: {name: acme-dns, key: acmedns.json}
/// ```
///
/// The Secret holds a JSON document mapping each domain to its acme-dns account (`username`,
/// `password`, `fulldomain`, `subdomain`, `allowfrom`), as acme-dns's `/register` returns it.
public struct AcmeDNSConfiguration: Sendable, Hashable {
    /// The acme-dns server; updates go to `<host>/update`.
    public var host: BaseURL
    public var accountSecretRef: SecretReference
    /// Where the block sits in its document, for messages about its Secret reference.
    public var path: ConfigPath

    /// The public acme-dns instance, the one host an Issuer may name without the operator.
    public static let publicHost = BaseURL(authority: "auth.acme-dns.io")

    public init(host: BaseURL, accountSecretRef: SecretReference, path: ConfigPath = .root) {
        self.host = host
        self.accountSecretRef = accountSecretRef
        self.path = path
    }

    /// Decodes and validates a block; errors name the field path.
    public static func decode(_ block: ConfigValue, at path: ConfigPath, source: ConfigSource) throws(DNS01Error) -> AcmeDNSConfiguration {
        var reader = try ConfigReader(block, at: path)
        guard let host = try reader.optionalBaseURL("host", official: AcmeDNSPlugin.descriptor.officialHosts, source: source, example: publicHost.description) else {
            throw DNS01Error.invalidConfiguration(at: path.appending("host"), "is required (the URL of the acme-dns server, such as \(publicHost))")
        }
        guard let account = try reader.optionalSecretReference("accountSecretRef") else {
            throw DNS01Error.invalidConfiguration(at: path.appending("accountSecretRef"), "is required (a Secret holding the JSON of the acme-dns accounts, by domain); acmeDNS has no ambient credentials")
        }
        try reader.finish()
        return AcmeDNSConfiguration(host: host, accountSecretRef: account, path: path)
    }
}
