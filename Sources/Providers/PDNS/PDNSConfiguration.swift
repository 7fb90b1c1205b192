import DNS01
import ProviderKit

/// The `pdns` config block: PowerDNS Authoritative's HTTP API. Field names are those of the most
/// used pdns webhook (zachomedia/cert-manager-webhook-pdns), so an Issuer moving here keeps its
/// config:
///
/// ```yaml
/// pdns:
///   host: https://ns1.example.ca                  # base URL of the API, without /api/v1
///   apiKeySecretRef: {name: pdns-api-key, key: key}
///   apiKeyScheme: ""                              # optional: "Bearer" sends "Bearer <key>"
///   apiKeyHeaderName: X-API-Key                   # optional
///   serverID: localhost                           # optional
///   headers: {X-Extra: value}                     # optional, added to every request
///   caBundle: <base64 of PEM>                     # optional, trusted instead of the system roots
///   ttl: 120                                      # optional
///   timeout: 30                                   # optional, seconds per request
///   allowed-zones: [example.ca.]                  # optional: only these zones (and below) are edited
/// ```
///
/// `host` is the operator's server: an Issuer may name it only under the operator's
/// `issuerPolicy.allowedEndpoints` (PowerDNS has no official host).
public struct PDNSConfiguration: Sendable, Hashable {
    /// Without a trailing slash.
    public var host: String
    public var apiKeyRef: SecretReference
    public var apiKeyScheme: String
    public var apiKeyHeaderName: String
    public var serverID: String
    /// Extra request headers, sorted by name; they override the defaults, as in the webhook.
    public var headers: [Header]
    /// PEM certificates trusted instead of the system roots.
    public var caBundle: String?
    public var ttl: Int
    public var timeout: Duration
    /// Zones that may be edited (with the zones below them); empty: every zone.
    public var allowedZones: [DomainName]

    public struct Header: Sendable, Hashable {
        public var name: String
        public var value: String

        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    public static let defaultHeaderName = "X-API-Key"
    public static let defaultServerID = "localhost"
    public static let defaultTTL = 120
    public static let defaultTimeout: Duration = .seconds(30)

    /// Decodes and validates a block; errors name the field path.
    public static func decode(_ block: ConfigValue, at path: ConfigPath, source: ConfigSource) throws(DNS01Error) -> PDNSConfiguration {
        var reader = try ConfigReader(block, at: path)
        var host = try reader.string("host").trimmingWhitespace()
        while host.hasSuffix("/") { host.removeLast() }
        // Policy first: whatever an Issuer names is answered as a policy refusal.
        try source.checkEndpoint(host + "/api/v1/", at: path.appending("host"), official: .none)
        guard EndpointPrefix(host) != nil else {
            throw DNS01Error.invalidConfiguration(at: path.appending("host"), "must be the http:// or https:// base URL of the PowerDNS API without /api/v1, such as https://ns1.example.com:8081, got \"\(host)\"")
        }
        let apiKeyRef = try reader.secretReference("apiKeySecretRef")
        let scheme = try reader.optionalString("apiKeyScheme")?.trimmingWhitespace() ?? ""
        guard scheme.allSatisfy(isTokenCharacter) else {
            throw DNS01Error.invalidConfiguration(at: path.appending("apiKeyScheme"), "must be an authorization scheme such as Bearer, or empty, got \"\(scheme)\"")
        }
        let headerName = try reader.optionalString("apiKeyHeaderName").flatMap { $0.isEmpty ? nil : $0 } ?? defaultHeaderName
        guard headerName.allSatisfy(isTokenCharacter) else {
            throw DNS01Error.invalidConfiguration(at: path.appending("apiKeyHeaderName"), "must be an HTTP header name such as X-API-Key or Authorization, got \"\(headerName)\"")
        }
        let serverID = try reader.optionalString("serverID").flatMap { $0.isEmpty ? nil : $0 } ?? defaultServerID
        guard !serverID.contains("/"), !serverID.contains(where: \.isWhitespace) else {
            throw DNS01Error.invalidConfiguration(at: path.appending("serverID"), "must be a PowerDNS server id such as localhost, got \"\(serverID)\"")
        }
        let headers = try decodeHeaders(&reader, at: path.appending("headers"))
        var caBundle: String?
        if let text = try reader.optionalString("caBundle"), !text.isEmpty {
            guard let pem = PEMText.normalise(text) else {
                throw DNS01Error.invalidConfiguration(at: path.appending("caBundle"), "must hold PEM certificates (-----BEGIN CERTIFICATE-----), or their base64")
            }
            caBundle = pem
        }
        // The webhook's 0 means "the default", for both.
        let ttl = try reader.optionalInt("ttl", in: 0...2_147_483_647).flatMap { $0 == 0 ? nil : $0 } ?? defaultTTL
        var timeout = try reader.optionalDuration("timeout") ?? defaultTimeout
        if timeout == .zero { timeout = defaultTimeout }
        guard timeout <= .seconds(300) else {
            throw DNS01Error.invalidConfiguration(at: path.appending("timeout"), "must be at most 300 seconds")
        }
        var allowedZones: [DomainName] = []
        for (index, text) in (try reader.optionalStringList("allowed-zones") ?? []).enumerated() {
            do throws(DNS01Error) {
                allowedZones.append(try DomainName(text))
            } catch {
                throw DNS01Error.invalidConfiguration(at: path.appending("allowed-zones").appending(index: index), "is not a valid DNS name: \(error.message)")
            }
        }
        try reader.finish()
        return PDNSConfiguration(
            host: host, apiKeyRef: apiKeyRef, apiKeyScheme: scheme, apiKeyHeaderName: headerName, serverID: serverID,
            headers: headers, caBundle: caBundle, ttl: ttl, timeout: timeout, allowedZones: allowedZones
        )
    }

    /// `headers`: a map of header names to string values.
    private static func decodeHeaders(_ reader: inout ConfigReader, at path: ConfigPath) throws(DNS01Error) -> [Header] {
        guard let value = reader.optionalValue("headers") else { return [] }
        guard case .object(let fields) = value else {
            throw DNS01Error.invalidConfiguration(at: path, "must be a map of header names to values, got \(value.kindName)")
        }
        var headers: [Header] = []
        for (name, value) in fields.sorted(by: { $0.key < $1.key }) {
            guard !name.isEmpty, name.allSatisfy(isTokenCharacter) else {
                throw DNS01Error.invalidConfiguration(at: path, "has \"\(name)\", which is not an HTTP header name")
            }
            guard case .string(let text) = value, !text.contains(where: { $0 == "\r" || $0 == "\n" || $0 == "\0" }) else {
                throw DNS01Error.invalidConfiguration(at: path.appending(name), "must be a single-line string")
            }
            headers.append(Header(name: name, value: text))
        }
        return headers
    }

    /// RFC 9110 token characters (header names, auth schemes).
    private static func isTokenCharacter(_ character: Character) -> Bool {
        guard character.isASCII, let byte = character.asciiValue else { return false }
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"): return true
        default: return "!#$%&'*+-.^_`|~".utf8.contains(byte)
        }
    }
}
