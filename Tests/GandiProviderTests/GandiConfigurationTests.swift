import ConfigLoading
import DNS01
import GandiProvider
import Testing

@Suite("gandi config")
struct GandiConfigurationTests {
    let path = ConfigPath.root.appending("gandi")

    func decode(_ block: ConfigValue, source: ConfigSource = .issuerConfig()) throws(DNS01Error) -> GandiConfiguration {
        try GandiConfiguration.decode(block, at: path, source: source)
    }

    func message(_ block: ConfigValue, source: ConfigSource = .issuerConfig()) -> String? {
        do {
            _ = try decode(block, source: source)
            return nil
        } catch {
            return error.message
        }
    }

    @Test("accepts the Gandi webhooks' README config unchanged: a personal access token, TTL 300, api.gandi.net")
    func readmeConfig() throws {
        // examples/cluster-issuer.yaml of krancovia/cert-manager-webhook-gandi, the `config:` block
        // (bwolf/cert-manager-webhook-gandi's README uses the same field).
        let configuration = try decode(
            try ConfigDocument.parse(
                """
                apiKeySecretRef:
                  name: gandi-access-token
                  key: token
                """, source: "test"))
        #expect(configuration.apiKeyRef == SecretReference(name: "gandi-access-token", key: "token"))
        #expect(configuration.apiKeyType == .personalAccessToken)
        #expect(configuration.ttl == 300)
        #expect(configuration.endpoint == "https://api.gandi.net/v5/livedns")
    }

    @Test("reads apiKeyType, ttl and an official endpoint from an Issuer")
    func everyField() throws {
        let configuration = try decode([
            "apiKeySecretRef": ["name": "g", "key": "k"], "apiKeyType": "apiKey", "ttl": 600,
            "endpoint": "https://dns.api.gandi.net/api/v5/",
        ])
        #expect(configuration.apiKeyType == .apiKey)
        #expect(configuration.ttl == 600)
        #expect(configuration.endpoint == "https://dns.api.gandi.net/api/v5")
    }

    @Test(
        "each mistake names its field",
        arguments: [
            ([:], "gandi.apiKeySecretRef is required"),
            (["apiKeySecretRef": ["name": "g"]], "gandi.apiKeySecretRef.key is required"),
            (["apiKeySecretRef": ["name": "g", "key": "k"], "apiKeyType": "pat"], "gandi.apiKeyType must be personalAccessToken (a Gandi personal access token, the default) or apiKey (a legacy Gandi API key), got \"pat\""),
            (["apiKeySecretRef": ["name": "g", "key": "k"], "ttl": 60], "gandi.ttl must be between 300 and 2592000, got 60"),
            (["apiKeySecretRef": ["name": "g", "key": "k"], "apiKeySecretRefs": ["name": "g", "key": "k"]], "gandi has an unknown field \"apiKeySecretRefs\" (did you mean \"apiKeySecretRef\"?)"),
        ] as [(ConfigValue, String)])
    func mistakes(block: ConfigValue, expected: String) {
        #expect(message(block) == expected)
    }

    @Test("an Issuer may name only Gandi's API hosts; the operator may name any; issuerPolicy.allowedEndpoints widens it")
    func issuerPolicy() throws {
        let local: ConfigValue = ["apiKeySecretRef": ["name": "g", "key": "k"], "endpoint": "http://127.0.0.1:9000/v5/livedns"]
        #expect(
            message(local)
                == "gandi.endpoint \"http://127.0.0.1:9000/v5/livedns\" is not allowed in an Issuer's config: the provider's official hosts are https://api.gandi.net, https://dns.api.gandi.net, and the operator's issuerPolicy.allowedEndpoints does not list it; the operator can allow it by adding a prefix of it to issuerPolicy.allowedEndpoints in the webhook's own config (serve --config), or move this block there"
        )
        #expect(message(["apiKeySecretRef": ["name": "g", "key": "k"], "endpoint": "https://api.gandi.net.example.org/v5/livedns"])?.contains("is not allowed in an Issuer's config") == true)
        #expect(try decode(local, source: .operatorConfig).endpoint == "http://127.0.0.1:9000/v5/livedns")
        let policy = IssuerPolicy(allowedEndpoints: [try #require(EndpointPrefix("http://127.0.0.1:9000/"))])
        #expect(try decode(local, source: .issuerConfig(policy: policy)).endpoint == "http://127.0.0.1:9000/v5/livedns")
    }

    @Test("the descriptor's example decodes, and every documented field is read")
    func descriptor() throws {
        let descriptor = GandiPlugin.descriptor
        _ = try decode(try ConfigDocument.parse(descriptor.example, source: "example"))
        #expect(descriptor.recordModel == .readModifyWriteSet)
        for field in descriptor.fields.map(\.name) where field != "apiKeySecretRef" {
            var object: [String: ConfigValue] = ["apiKeySecretRef": ["name": "g", "key": "k"]]
            object.updateValue(.null, forKey: field)
            #expect(message(.object(object)) == nil, "\(field)")
        }
    }
}
