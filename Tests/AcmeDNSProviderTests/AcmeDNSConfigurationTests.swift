import AcmeDNSProvider
import ConfigLoading
import DNS01
import ProviderKit
import Testing

@Suite("acmeDNS config and Issuer policy")
struct AcmeDNSConfigurationTests {
    let path = ConfigPath.root.appending("acmeDNS")

    func decode(_ block: ConfigValue, source: ConfigSource = .issuerConfig()) throws(DNS01Error) -> AcmeDNSConfiguration {
        try AcmeDNSConfiguration.decode(block, at: path, source: source)
    }

    @Test("accepts cert-manager's documented block unchanged, from an Issuer, on the public acme-dns")
    func documentedBlock() throws {
        let configuration = try decode(try ConfigDocument.parse("""
            host: https://auth.acme-dns.io
            accountSecretRef:
              name: acme-dns
              key: acmedns.json
            """, source: "cert-manager docs"))
        #expect(configuration.host.description == "https://auth.acme-dns.io")
        #expect(configuration.accountSecretRef == SecretReference(name: "acme-dns", key: "acmedns.json"))
        _ = try decode(try ConfigDocument.parse(AcmeDNSPlugin.descriptor.example, source: "example"))
        #expect(AcmeDNSPlugin.descriptor.ambientCredentials == nil)
        #expect(AcmeDNSPlugin.descriptor.limitations == [.cannotReadBack, .cannotRemoveValues, .keepsTwoValuesOnly])
        #expect(AcmeDNSPlugin.descriptor.migration?.hasPrefix("From cert-manager's built-in `acmeDNS` solver: change") == true)
    }

    @Test("names the field path of each mistake", arguments: [
        (["accountSecretRef": ["name": "a", "key": "b"]] as ConfigValue, "acmeDNS.host is required"),
        (["host": "auth.acme-dns.io", "accountSecretRef": ["name": "a", "key": "b"]] as ConfigValue, "acmeDNS.host must be an http or https URL such as https://auth.acme-dns.io"),
        (["host": "https://auth.acme-dns.io"] as ConfigValue, "acmeDNS.accountSecretRef is required"),
        (["host": "https://auth.acme-dns.io", "accountSecretRef": ["name": "a"]] as ConfigValue, "acmeDNS.accountSecretRef.key is required"),
        (["host": "https://auth.acme-dns.io", "accountSecretRef": ["name": "a", "key": "b"], "hosts": "x"] as ConfigValue, "acmeDNS has an unknown field \"hosts\" (did you mean \"host\"?)"),
    ])
    func mistakes(block: ConfigValue, expected: String) {
        let error = #expect(throws: DNS01Error.self) { try decode(block, source: .operatorConfig) }
        #expect(error?.message.hasPrefix(expected) == true, "\(error?.message ?? "")")
    }

    @Test("an Issuer may not name another acme-dns server; the operator may, and may allow one for Issuers")
    func issuerPolicy() throws {
        let block: ConfigValue = ["host": "https://acme-dns.internal.example.com", "accountSecretRef": ["name": "a", "key": "b"]]
        let error = #expect(throws: DNS01Error.self) { try decode(block) }
        #expect(error?.code == .forbiddenByPolicy)
        #expect(error?.message.hasPrefix("acmeDNS.host \"https://acme-dns.internal.example.com\" is not allowed in an Issuer's config: the provider's official hosts are https://auth.acme-dns.io") == true)
        #expect(try decode(block, source: .operatorConfig).host.authority == "acme-dns.internal.example.com")
        let policy = IssuerPolicy(allowedEndpoints: [EndpointPrefix("https://acme-dns.internal.example.com/")!])
        #expect(try decode(block, source: .issuerConfig(policy: policy)).host.authority == "acme-dns.internal.example.com")
    }

    @Test("the block is accepted under acmeDNS and its lower-case alias")
    func alias() throws {
        var registry = ProviderRegistry()
        registry.register(AcmeDNSPlugin())
        #expect(registry.contains("acmeDNS") && registry.contains("acmedns"))
        _ = try RoutingTable.decode(["acmedns": ["host": "https://auth.acme-dns.io", "accountSecretRef": ["name": "a", "key": "b"]]], registry: registry, source: .issuerConfig())
    }
}
