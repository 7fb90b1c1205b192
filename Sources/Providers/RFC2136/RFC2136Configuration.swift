import DNS01
import DNSClient
import DNSWire

/// The `rfc2136` block: the fields of cert-manager's built-in `rfc2136` solver, same meaning.
///
/// ```yaml
/// rfc2136:
///   nameserver: 192.0.2.53:53          # HOST[:PORT] or [IPv6]:PORT, port 53 by default
///   tsigKeyName: acme-update           # with tsigSecretSecretRef, or neither (unsigned updates)
///   tsigAlgorithm: HMACSHA256          # HMACMD5 (cert-manager's default), HMACSHA1, HMACSHA256, HMACSHA384, HMACSHA512
///   tsigSecretSecretRef: {name: tsig, key: secret}   # the base64 secret, as tsig-keygen/keymgr print it
///   protocol: UDP                      # or TCP; UDP falls back to TCP when an answer is truncated
/// ```
public struct RFC2136Configuration: Sendable, Hashable {
    public enum TransportProtocol: String, Sendable, Hashable {
        case udp = "UDP"
        case tcp = "TCP"
    }

    public struct Signing: Sendable, Hashable {
        public var keyName: String
        public var algorithm: TSIGAlgorithm
        public var secretRef: SecretReference
    }

    public var nameserver: String
    /// `nil`: updates go unsigned (a server that allows updates by address).
    public var signing: Signing?
    public var transport: TransportProtocol

    /// cert-manager's names for the algorithms, upper-cased; wire names are accepted too.
    static let algorithmNames: [String: TSIGAlgorithm] = [
        "HMACMD5": .hmacMD5, "HMACSHA1": .hmacSHA1, "HMACSHA256": .hmacSHA256, "HMACSHA384": .hmacSHA384, "HMACSHA512": .hmacSHA512,
    ]

    static func decode(_ block: ConfigValue, at path: ConfigPath, source: ConfigSource) throws(DNS01Error) -> RFC2136Configuration {
        var reader = try ConfigReader(block, at: path)
        let nameserver = try reader.string("nameserver")
        do {
            _ = try DNSExchange.parseHostAndPort(nameserver)
        } catch {
            throw DNS01Error.invalidConfiguration(at: path.appending("nameserver"), "must be HOST:PORT, [IPv6]:PORT or a host, got \"\(nameserver)\"")
        }
        // An Issuer's nameserver receives DNS messages from the webhook's pod: one rule with
        // every other endpoint (issuerPolicy.allowedEndpoints, as dns://host:port).
        try source.checkEndpoint("dns://\(nameserver)/", at: path.appending("nameserver"), official: .none, shown: nameserver)
        let keyName = try reader.optionalString("tsigKeyName").flatMap { $0.isEmpty ? nil : $0 }
        let algorithmText = try reader.optionalString("tsigAlgorithm")
        let secretRef = try reader.optionalSecretReference("tsigSecretSecretRef")
        let protocolText = try reader.optionalString("protocol")
        try reader.finish()

        var algorithm = TSIGAlgorithm.hmacMD5
        if let algorithmText, !algorithmText.isEmpty {
            guard let named = algorithmNames[algorithmText.uppercased()] ?? TSIGAlgorithm(wireName: algorithmText) else {
                throw DNS01Error.invalidConfiguration(
                    at: path.appending("tsigAlgorithm"),
                    "must be one of HMACMD5, HMACSHA1, HMACSHA256, HMACSHA384, HMACSHA512, got \"\(algorithmText)\""
                )
            }
            algorithm = named
        }
        let signing: Signing?
        switch (keyName, secretRef) {
        case (let keyName?, let secretRef?):
            guard (try? DNSWireName.validate(keyName)) != nil else {
                throw DNS01Error.invalidConfiguration(at: path.appending("tsigKeyName"), "is not a valid DNS name: \"\(keyName)\"")
            }
            signing = Signing(keyName: keyName, algorithm: algorithm, secretRef: secretRef)
        case (nil, nil):
            signing = nil
        case (nil, _?):
            throw DNS01Error.invalidConfiguration(at: path.appending("tsigKeyName"), "is required when tsigSecretSecretRef is set")
        case (_?, nil):
            throw DNS01Error.invalidConfiguration(at: path.appending("tsigSecretSecretRef"), "is required when tsigKeyName is set")
        }
        let transport: TransportProtocol
        switch protocolText {
        case nil, "": transport = .udp
        case let text?:
            // Case-sensitive, as cert-manager's field is.
            guard let known = TransportProtocol(rawValue: text) else {
                throw DNS01Error.invalidConfiguration(at: path.appending("protocol"), "must be UDP or TCP, got \"\(text)\"")
            }
            transport = known
        }
        return RFC2136Configuration(nameserver: nameserver, signing: signing, transport: transport)
    }
}

/// Name checks shared with the wire format, so a key name that cannot be encoded fails at
/// config load rather than at the first update.
enum DNSWireName {
    static func validate(_ name: String) throws(DNSWireError) {
        var writer = Writer()
        try writer.name(name)
    }
}
