import DNS01
import RFC2136Provider
import Testing

/// The `rfc2136` block reads as cert-manager's, and every mistake names its field.
@Suite("rfc2136 configuration")
struct RFC2136ConfigurationTests {
    func decode(_ block: ConfigValue) throws(DNS01Error) -> RFC2136Configuration {
        try RFC2136Plugin().decodeConfiguration(block, at: ConfigPath.root.appending("rfc2136"), source: .operatorConfig)
    }

    @Test("cert-manager's fields, its algorithm spellings in any case, and its default of HMACMD5")
    func certManagerFields() throws {
        let full = try decode([
            "nameserver": "192.0.2.53", "tsigKeyName": "k", "tsigAlgorithm": "HmacSha512",
            "tsigSecretSecretRef": ["name": "tsig", "key": "secret"], "protocol": "TCP",
        ])
        #expect(full.nameserver == "192.0.2.53")
        #expect(full.signing?.algorithm == .hmacSHA512)
        #expect(full.signing?.secretRef == SecretReference(name: "tsig", key: "secret"))
        #expect(full.transport == .tcp)
        let defaults = try decode(["nameserver": "[2001:db8::1]:5353", "tsigKeyName": "k", "tsigSecretSecretRef": ["name": "t", "key": "s"]])
        #expect(defaults.signing?.algorithm == .hmacMD5)
        #expect(defaults.transport == .udp)
        #expect(try decode(["nameserver": "ns.example.com:53"]).signing == nil)
    }

    @Test(
        "mistakes are reported at their field",
        arguments: [
            (["tsigKeyName": "k"], "rfc2136.nameserver is required"),
            (["nameserver": "127.0.0.1:99999"], "rfc2136.nameserver must be HOST:PORT, [IPv6]:PORT or a host, got \"127.0.0.1:99999\""),
            (["nameserver": "ns", "tsigKeyName": "k"], "rfc2136.tsigSecretSecretRef is required when tsigKeyName is set"),
            (["nameserver": "ns", "tsigSecretSecretRef": ["name": "t", "key": "s"]], "rfc2136.tsigKeyName is required when tsigSecretSecretRef is set"),
            (["nameserver": "ns", "tsigAlgorithm": "HMACSHA224"], "rfc2136.tsigAlgorithm must be one of HMACMD5, HMACSHA1, HMACSHA256, HMACSHA384, HMACSHA512, got \"HMACSHA224\""),
            (["nameserver": "ns", "protocol": "tcp"], "rfc2136.protocol must be UDP or TCP, got \"tcp\""),
            (["nameserver": "ns", "tsigKeyname": "k"], "rfc2136 has an unknown field \"tsigKeyname\" (did you mean \"tsigKeyName\"?)"),
        ] as [(ConfigValue, String)])
    func mistakes(block: ConfigValue, message: String) {
        #expect(throws: DNS01Error(.invalidConfiguration, message)) { try decode(block) }
    }
}

@Suite("rfc2136 nameservers from Issuers")
struct RFC2136IssuerPolicyTests {
    func decode(_ nameserver: String, source: ConfigSource) throws(DNS01Error) -> RFC2136Configuration {
        try RFC2136Plugin().decodeConfiguration(["nameserver": .string(nameserver)], at: ConfigPath.root.appending("rfc2136"), source: source)
    }

    @Test("an Issuer may name a nameserver only under issuerPolicy.allowedEndpoints (dns://host:port/); the operator any")
    func policy() throws {
        let error = try #require(throws: DNS01Error.self) { try decode("192.0.2.53:53", source: .issuerConfig()) }
        #expect(error.code == .forbiddenByPolicy)
        #expect(error.message.hasPrefix("rfc2136.nameserver \"192.0.2.53:53\" is not allowed in an Issuer's config"))
        let policy = try IssuerPolicy.decode(["allowedEndpoints": ["dns://192.0.2.53:53/"]], at: .root)
        #expect(try decode("192.0.2.53:53", source: .issuerConfig(policy: policy)).nameserver == "192.0.2.53:53")
        #expect(try decode("192.0.2.53", source: .issuerConfig(policy: policy)).nameserver == "192.0.2.53")
        #expect(throws: DNS01Error.self) { try decode("192.0.2.54:53", source: .issuerConfig(policy: policy)) }
        #expect(throws: DNS01Error.self) { try decode("192.0.2.53:5353", source: .issuerConfig(policy: policy)) }
        #expect(try decode("10.0.0.1:53", source: .operatorConfig).nameserver == "10.0.0.1:53")
    }
}
