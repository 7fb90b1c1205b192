import DNS01

/// The `hetzner` config block: the Hetzner Cloud API (DNS zones and rrsets). Field names are
/// the official Hetzner webhook's (hetzner/cert-manager-webhook-hetzner), so an Issuer moving
/// here keeps its config; the older community webhook's (vadimkim/cert-manager-webhook-hetzner)
/// `secretName` and `zoneName` are accepted too:
///
/// ```yaml
/// hetzner:
///   tokenSecretKeyRef: {name: hetzner, key: token}   # a Cloud API token (Read & Write), or…
///   tokenFilePath: /var/run/secrets/hetzner/token    # …a file mounted in the webhook's pod, or…
///   secretName: hetzner-secret                       # …the old webhook's Secret (key api-key)
///   zoneName: example.com                            # optional; otherwise the longest zone of the project
///   httpTimeout: 15s                                 # optional, per request
///   ttl: 60                                          # optional
///   endpoint: https://api.hetzner.cloud/v1           # optional (alias: hcloudEndpoint)
/// ```
///
/// The old webhook's `apiUrl` named the DNS Console API (dns.hetzner.com), which Hetzner shut
/// down in May 2026: a config that still names it is refused with the way to migrate.
public struct HetznerConfiguration: Sendable, Hashable {
    /// Where the API token comes from.
    public enum TokenSource: Sendable, Hashable {
        /// A Secret in the challenge's namespace (`tokenSecretKeyRef`, or `secretName` with key `api-key`).
        case secret(SecretReference)
        /// A file in the webhook's pod (`tokenFilePath`).
        case file(String)
    }

    public var token: TokenSource
    /// The zone to write to; `nil`: the longest zone of the project that holds the name.
    public var zoneName: DomainName?
    /// The Cloud API base URL, with `/v1` and without a trailing slash.
    public var endpoint: String
    public var httpTimeout: Duration
    public var ttl: Int

    public static let defaultEndpoint = "https://api.hetzner.cloud/v1"
    /// The official webhook's default per-request timeout.
    public static let defaultHTTPTimeout: Duration = .seconds(15)
    /// The lowest TTL the Cloud API accepts: a challenge record should not linger in caches.
    public static let defaultTTL = 60
    /// The key the old webhook's `secretName` Secret holds the token under.
    public static let legacySecretKey = "api-key"

    public init(
        token: TokenSource, zoneName: DomainName? = nil, endpoint: String = HetznerConfiguration.defaultEndpoint,
        httpTimeout: Duration = HetznerConfiguration.defaultHTTPTimeout, ttl: Int = HetznerConfiguration.defaultTTL
    ) {
        self.token = token
        self.zoneName = zoneName
        self.endpoint = endpoint
        self.httpTimeout = httpTimeout
        self.ttl = ttl
    }

    /// Decodes and validates a block; errors name the field path.
    public static func decode(_ block: ConfigValue, at path: ConfigPath, source: ConfigSource) throws(DNS01Error) -> HetznerConfiguration {
        var reader = try ConfigReader(block, at: path)
        if let apiUrl = try reader.optionalString("apiUrl") {
            try refuseLegacyAPIURL(apiUrl, at: path.appending("apiUrl"))
        }
        let tokenRef = try reader.optionalSecretReference("tokenSecretKeyRef")
        let tokenFile = try reader.optionalString("tokenFilePath")
        let secretName = try reader.optionalString("secretName")
        let token: TokenSource
        switch (tokenRef, tokenFile, secretName) {
        case (let reference?, nil, nil):
            token = .secret(reference)
        case (nil, let file?, nil):
            guard file.hasPrefix("/"), !file.contains("\0") else {
                throw DNS01Error.invalidConfiguration(at: path.appending("tokenFilePath"), "must be an absolute path in the webhook's pod, got \"\(file)\"")
            }
            token = .file(file)
        case (nil, nil, let name?):
            guard !name.isEmpty else { throw DNS01Error.invalidConfiguration(at: path.appending("secretName"), "must not be empty") }
            token = .secret(SecretReference(name: name, key: legacySecretKey))
        case (nil, nil, nil):
            throw DNS01Error.invalidConfiguration(at: path, "needs a Hetzner Cloud API token: set tokenSecretKeyRef ({name, key} of a Secret) or tokenFilePath")
        default:
            let set = [("tokenSecretKeyRef", tokenRef != nil), ("tokenFilePath", tokenFile != nil), ("secretName", secretName != nil)].filter(\.1).map(\.0)
            throw DNS01Error.invalidConfiguration(at: path, "sets \(set.joined(separator: " and ")); choose one way to give the API token")
        }

        var zoneName: DomainName?
        if let text = try reader.optionalString("zoneName") {
            do throws(DNS01Error) {
                zoneName = try DomainName(text)
            } catch {
                throw DNS01Error.invalidConfiguration(at: path.appending("zoneName"), "is not a valid DNS name: \(error.message)")
            }
            if zoneName?.isRoot == true || zoneName?.isWildcard == true {
                throw DNS01Error.invalidConfiguration(at: path.appending("zoneName"), "must be a zone name such as example.com, got \"\(text)\"")
            }
        }

        let endpoint = try decodeEndpoint(&reader, at: path, source: source)
        let timeout = try reader.optionalDuration("httpTimeout") ?? defaultHTTPTimeout
        guard timeout > .zero, timeout <= .seconds(300) else {
            throw DNS01Error.invalidConfiguration(at: path.appending("httpTimeout"), "must be more than 0s and at most 5m")
        }
        let ttl = try reader.optionalInt("ttl", in: 60...86_400) ?? defaultTTL
        try reader.finish()
        return HetznerConfiguration(token: token, zoneName: zoneName, endpoint: endpoint, httpTimeout: timeout, ttl: ttl)
    }

    /// `endpoint`, or the official webhook's `hcloudEndpoint`: an http(s) base URL of the Cloud
    /// API (with `/v1`). An Issuer may name only the official host.
    private static func decodeEndpoint(_ reader: inout ConfigReader, at path: ConfigPath, source: ConfigSource) throws(DNS01Error) -> String {
        let primary = try reader.optionalString("endpoint")
        let alias = try reader.optionalString("hcloudEndpoint")
        if primary != nil, alias != nil {
            throw DNS01Error.invalidConfiguration(at: path, "sets both endpoint and hcloudEndpoint (the same field under the official webhook's name); keep one")
        }
        guard var text = (primary ?? alias)?.trimmingWhitespace(), !text.isEmpty else { return defaultEndpoint }
        let field = path.appending(primary != nil ? "endpoint" : "hcloudEndpoint")
        while text.hasSuffix("/") { text.removeLast() }
        try source.checkEndpoint(text, at: field, official: HetznerPlugin.descriptor.officialHosts)
        guard let parsed = EndpointPrefix(text) else {
            throw DNS01Error.invalidConfiguration(at: field, "must be an http:// or https:// URL such as https://api.hetzner.cloud/v1, got \"\(text)\"")
        }
        if parsed.host == "dns.hetzner.com" { try refuseLegacyAPIURL(text, at: field) }
        return text
    }

    /// The old webhook's `apiUrl` is accepted only when it names the Cloud API, which is the
    /// default anyway; the DNS Console API it was made for is gone.
    private static func refuseLegacyAPIURL(_ text: String, at path: ConfigPath) throws(DNS01Error) {
        let host = EndpointPrefix(text)?.host
        if host == "api.hetzner.cloud" { return }
        let migrate =
            "Remove the field, move the zone to the Hetzner Console (DNS zones of a Cloud project) if it is not there yet, and put a Cloud API token (Read & Write) of that project in tokenSecretKeyRef; DNS Console tokens do not work with the Cloud API"
        if host == nil || host == "dns.hetzner.com" {
            throw DNS01Error.invalidConfiguration(at: path, "names \"\(text)\", Hetzner's old DNS Console API, which was shut down in May 2026; this provider uses the Hetzner Cloud API. \(migrate)")
        }
        throw DNS01Error.invalidConfiguration(
            at: path, "is the old webhook's field for Hetzner's DNS Console API, which was shut down in May 2026; this provider uses the Hetzner Cloud API (to point it at another Cloud API endpoint, set endpoint). \(migrate)")
    }
}
