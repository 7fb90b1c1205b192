import ConfigLoading
import DNS01
import HetznerProvider
import Testing

@Suite("hetzner config")
struct HetznerConfigurationTests {
    let path = ConfigPath.root.appending("providers").appending(index: 0).appending("hetzner")

    func decode(_ block: ConfigValue, source: ConfigSource = .issuerConfig()) throws(DNS01Error) -> HetznerConfiguration {
        try HetznerConfiguration.decode(block, at: path, source: source)
    }

    func yaml(_ text: String) throws -> ConfigValue {
        try ConfigDocument.parse(text, source: "test")
    }

    func message(_ block: ConfigValue, source: ConfigSource = .issuerConfig()) -> String? {
        do {
            _ = try decode(block, source: source)
            return nil
        } catch {
            return error.message
        }
    }

    @Test("accepts the official webhook's README config unchanged (token from a Secret), from an Issuer")
    func officialReadmeSecret() throws {
        // docs/reference/issuer-configuration.md of hetzner/cert-manager-webhook-hetzner, the `config:` block.
        let configuration = try decode(
            try yaml(
                """
                tokenSecretKeyRef:
                  name: hetzner
                  key: token
                """))
        #expect(configuration.token == .secret(SecretReference(name: "hetzner", key: "token")))
        #expect(configuration.endpoint == "https://api.hetzner.cloud/v1")
        #expect(configuration.zoneName == nil)
        #expect(configuration.httpTimeout == .seconds(15))
        #expect(configuration.ttl == 60)
    }

    @Test("accepts the official webhook's token-file config, and its httpTimeout")
    func officialReadmeFile() throws {
        let configuration = try decode(
            try yaml(
                """
                tokenFilePath: /var/run/secrets/hetzner/token
                httpTimeout: 45s
                """))
        #expect(configuration.token == .file("/var/run/secrets/hetzner/token"))
        #expect(configuration.httpTimeout == .seconds(45))
    }

    @Test("accepts the older webhook's secretName (key api-key) and zoneName")
    func olderWebhook() throws {
        let configuration = try decode(["secretName": "hetzner-secret", "zoneName": "Example.COM."])
        #expect(configuration.token == .secret(SecretReference(name: "hetzner-secret", key: "api-key")))
        #expect(configuration.zoneName == (try DomainName("example.com")))
    }

    @Test("refuses the older webhook's README config, whose apiUrl names the shut-down DNS Console API, and says how to migrate")
    func olderWebhookReadmeRefused() throws {
        // README.md of vadimkim/cert-manager-webhook-hetzner, the `config:` block.
        let block = try yaml(
            """
            secretName: hetzner-secret
            zoneName: example.com # (Optional): When not provided the Zone will searched in Hetzner API by recursion on full domain name
            apiUrl: https://dns.hetzner.com/api/v1
            """)
        #expect(
            message(block)
                == "providers[0].hetzner.apiUrl names \"https://dns.hetzner.com/api/v1\", Hetzner's old DNS Console API, which was shut down in May 2026; this provider uses the Hetzner Cloud API. Remove the field, move the zone to the Hetzner Console (DNS zones of a Cloud project) if it is not there yet, and put a Cloud API token (Read & Write) of that project in tokenSecretKeyRef; DNS Console tokens do not work with the Cloud API"
        )
    }

    @Test("accepts an apiUrl that names the Cloud API itself; refuses any other apiUrl")
    func apiURLVariants() {
        #expect(message(["secretName": "s", "apiUrl": "https://api.hetzner.cloud/v1"]) == nil)
        #expect(message(["secretName": "s", "apiUrl": "https://proxy.example.com/api/v1"])?.hasPrefix("providers[0].hetzner.apiUrl is the old webhook's field for Hetzner's DNS Console API, which was shut down in May 2026") == true)
        #expect(message(["secretName": "s", "endpoint": "https://dns.hetzner.com/api/v1"], source: .operatorConfig)?.contains("Hetzner's old DNS Console API, which was shut down in May 2026") == true)
    }

    @Test(
        "each mistake names its field",
        arguments: [
            ([:], "providers[0].hetzner needs a Hetzner Cloud API token: set tokenSecretKeyRef ({name, key} of a Secret) or tokenFilePath"),
            (["tokenSecretKeyRef": ["name": "a", "key": "b"], "tokenFilePath": "/t"], "providers[0].hetzner sets tokenSecretKeyRef and tokenFilePath; choose one way to give the API token"),
            (["tokenSecretKeyRef": ["name": "a", "key": "b"], "secretName": "s"], "providers[0].hetzner sets tokenSecretKeyRef and secretName; choose one way to give the API token"),
            (["tokenSecretKeyRef": ["name": "a"]], "providers[0].hetzner.tokenSecretKeyRef.key is required"),
            (["tokenFilePath": "token"], "providers[0].hetzner.tokenFilePath must be an absolute path in the webhook's pod, got \"token\""),
            (["secretName": "s", "zoneName": "exa mple.com"], "providers[0].hetzner.zoneName is not a valid DNS name: domain name \"exa mple.com\" contains the character \" \", which is not allowed in a DNS name"),
            (["secretName": "s", "httpTimeout": "soon"], "providers[0].hetzner.httpTimeout must be a duration such as \"30s\", \"2m\" or \"1500ms\", got \"soon\""),
            (["secretName": "s", "httpTimeout": "10m"], "providers[0].hetzner.httpTimeout must be more than 0s and at most 5m"),
            (["secretName": "s", "ttl": 30], "providers[0].hetzner.ttl must be between 60 and 86400, got 30"),
            (["secretName": "s", "tokenSecretKeyref": ["name": "a", "key": "b"]], "providers[0].hetzner has an unknown field \"tokenSecretKeyref\" (did you mean \"tokenSecretKeyRef\"?)"),
            (
                ["secretName": "s", "endpoint": "https://api.hetzner.cloud/v1", "hcloudEndpoint": "https://api.hetzner.cloud/v1"],
                "providers[0].hetzner sets both endpoint and hcloudEndpoint (the same field under the official webhook's name); keep one"
            ),
        ] as [(ConfigValue, String)])
    func mistakes(block: ConfigValue, expected: String) {
        #expect(message(block) == expected)
    }

    @Test("an Issuer may name only the official API host; the operator may name any; issuerPolicy.allowedEndpoints widens it")
    func issuerPolicy() throws {
        let official: ConfigValue = ["secretName": "s", "hcloudEndpoint": "https://api.hetzner.cloud/v1/"]
        #expect(try decode(official).endpoint == "https://api.hetzner.cloud/v1")

        let emulator: ConfigValue = ["secretName": "s", "hcloudEndpoint": "http://127.0.0.1:8080/v1"]
        #expect(
            message(emulator)
                == "providers[0].hetzner.hcloudEndpoint \"http://127.0.0.1:8080/v1\" is not allowed in an Issuer's config: the provider's official hosts are https://api.hetzner.cloud, and the operator's issuerPolicy.allowedEndpoints does not list it; the operator can allow it by adding a prefix of it to issuerPolicy.allowedEndpoints in the webhook's own config (serve --config), or move this block there"
        )
        #expect(message(["secretName": "s", "endpoint": "https://api.hetzner.cloud.evil.example/v1"])?.contains("is not allowed in an Issuer's config") == true)
        #expect(message(["secretName": "s", "endpoint": "http://api.hetzner.cloud/v1"])?.contains("is not allowed in an Issuer's config") == true)
        #expect(try decode(emulator, source: .operatorConfig).endpoint == "http://127.0.0.1:8080/v1")
        let policy = IssuerPolicy(allowedEndpoints: [try #require(EndpointPrefix("http://127.0.0.1:8080/v1"))])
        #expect(try decode(emulator, source: .issuerConfig(policy: policy)).endpoint == "http://127.0.0.1:8080/v1")
    }

    @Test("the descriptor's example decodes, and every field it documents is one the decoder reads")
    func descriptor() throws {
        let descriptor = HetznerPlugin.descriptor
        _ = try decode(try yaml(descriptor.example))
        #expect(descriptor.name == "hetzner")
        #expect(descriptor.officialHosts.contains("https://api.hetzner.cloud/v1"))
        #expect(!descriptor.officialHosts.contains("https://dns.hetzner.com/api/v1"))
        for field in descriptor.fields.map(\.name) + ["hcloudEndpoint"] where field != "secretName" {
            var object: [String: ConfigValue] = ["secretName": "s"]
            object.updateValue(.null, forKey: field)
            #expect(message(.object(object)) == nil, "\(field)")
        }
    }
}
