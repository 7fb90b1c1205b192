import DNS01
import DNSClient
import Logging
import RFC2136Provider
import TestSupport

/// Knot serving `example.com` (with an unrelated TXT value at the challenge name) and the
/// delegated-looking `sub.example.com`, accepting updates signed with one TSIG key.
struct KnotFixture {
    static let namespace = "cert-manager"
    /// 32 random bytes, base64, as `keymgr -t` prints them.
    static let secret = "h2eqLHv9h9Ccm8yfC2YdxGpXaZQ0k2VwJQ2+aq4W5Ps="
    static let otherSecret = "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo0NTY3OA=="

    let knot: KnotServer
    let key: KnotServer.TSIGKey

    init(algorithm: String = "hmac-sha256") async throws {
        key = KnotServer.TSIGKey(name: "acme-update", algorithm: algorithm, secretBase64: Self.secret)
        knot = try await KnotServer.start(
            zones: [
                "example.com": "_acme-challenge.www IN TXT \"unrelated\"\nwww IN A 127.0.0.1",
                "sub.example.com": "www IN A 127.0.0.1",
            ],
            updateKey: key
        )
    }

    func stop() { knot.stop() }

    /// The config block cert-manager users write, pointed at this server.
    func config(algorithm: String = "HMACSHA256", keyName: String = "acme-update", secretKey: String = "secret", transport: String? = nil) -> ConfigValue {
        var block: [String: ConfigValue] = [
            "nameserver": .string(knot.address),
            "tsigKeyName": .string(keyName),
            "tsigAlgorithm": .string(algorithm),
            "tsigSecretSecretRef": ["name": "tsig", "key": .string(secretKey)],
        ]
        if let transport { block["protocol"] = .string(transport) }
        return .object(block)
    }

    static let secrets = StaticSecretSource([
        .init(namespace: namespace, name: "tsig"): ["secret": SecretValue(secret), "other": SecretValue(otherSecret)]
    ])

    func provider(_ config: ConfigValue) async throws -> any DNSProvider {
        let plugin = RFC2136Plugin()
        let configuration = try plugin.decodeConfiguration(config, at: ConfigPath.root.appending("rfc2136"), source: .operatorConfig)
        let context = ProviderContext(
            namespace: Self.namespace, secrets: Self.secrets, allowAmbientCredentials: false,
            origin: .issuerConfig, logger: Logger(label: "test"), environment: [:]
        )
        return try await plugin.makeProvider(for: configuration, context: context)
    }

    /// What DNS itself says is at `name` (a plain query to Knot, not the provider's read-back).
    func dnsValues(_ name: String) async throws -> Set<String> {
        Set(try await DNSExchange(hostAndPort: knot.address).txtLookup(name).values)
    }

    static func challenge(_ action: Challenge.Action, _ key: String, domain: String = "www.example.com", zone: String? = nil) throws -> Challenge {
        let name = try DomainName(domain)
        return Challenge(
            action: action, dnsName: name, resolvedFQDN: try Challenge.recordName(for: name),
            resolvedZone: try zone.map { try DomainName($0) }, key: key, resourceNamespace: namespace
        )
    }
}
