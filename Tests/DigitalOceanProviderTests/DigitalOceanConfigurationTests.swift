import ConfigLoading
import DNS01
import DigitalOceanProvider
import ProviderKit
import Testing

@Suite("digitalocean config")
struct DigitalOceanConfigurationTests {
    let path = ConfigPath.root.appending("providers").appending(index: 2).appending("digitalocean")

    func message(_ block: ConfigValue, source: ConfigSource = .operatorConfig) -> String? {
        do {
            _ = try DigitalOceanConfiguration.decode(block, at: path, source: source)
            return nil
        } catch {
            return error.message
        }
    }

    @Test("accepts cert-manager's documented block unchanged, on DigitalOcean's API")
    func documentedBlock() throws {
        let block = try ConfigDocument.parse(
            """
            tokenSecretRef:
              name: digitalocean-dns
              key: access-token
            """, source: "cert-manager docs")
        let configuration = try DigitalOceanConfiguration.decode(block, at: path, source: .issuerConfig())
        #expect(configuration.tokenSecretRef == SecretReference(name: "digitalocean-dns", key: "access-token"))
        #expect(configuration.endpoint.description == "https://api.digitalocean.com")
    }

    @Test("the descriptor's example decodes; no ambient credentials; the migration note")
    func descriptor() throws {
        _ = try DigitalOceanConfiguration.decode(try ConfigDocument.parse(DigitalOceanPlugin.descriptor.example, source: "example"), at: path, source: .issuerConfig())
        #expect(DigitalOceanPlugin.descriptor.ambientCredentials == nil)
        #expect(DigitalOceanPlugin.descriptor.migration?.hasPrefix("From cert-manager's built-in `digitalocean` solver: change") == true)
    }

    @Test(
        "names the field path of each mistake",
        arguments: [
            ([:] as ConfigValue, "providers[2].digitalocean.tokenSecretRef is required"),
            (["tokenSecretRef": ["name": "do"]] as ConfigValue, "providers[2].digitalocean.tokenSecretRef.key is required"),
            (["tokenSecretRef": "do-token"] as ConfigValue, "providers[2].digitalocean.tokenSecretRef must be an object, got a string"),
            (["tokenSecretRef": ["name": "do", "key": "t"], "token": "x"] as ConfigValue, "providers[2].digitalocean has an unknown field \"token\""),
            (
                ["tokenSecretRef": ["name": "do", "key": "t"], "endpoint": "ftp://api.digitalocean.com"] as ConfigValue,
                "providers[2].digitalocean.endpoint must be an http or https URL such as https://api.digitalocean.com"
            ),
        ])
    func mistakes(block: ConfigValue, expected: String) {
        let text = message(block)
        #expect(text?.hasPrefix(expected) == true, "\(text ?? "no error")")
    }

    @Test("an Issuer may not point the API elsewhere; the operator may, and may allow it for Issuers")
    func issuerPolicy() throws {
        let block: ConfigValue = ["tokenSecretRef": ["name": "do", "key": "t"], "endpoint": "http://127.0.0.1:9000"]
        let error = #expect(throws: DNS01Error.self) { try DigitalOceanConfiguration.decode(block, at: path, source: .issuerConfig()) }
        #expect(error?.code == .forbiddenByPolicy)
        #expect(error?.message.hasPrefix("providers[2].digitalocean.endpoint \"http://127.0.0.1:9000\" is not allowed in an Issuer's config: the provider's official hosts are https://api.digitalocean.com") == true)
        #expect(try DigitalOceanConfiguration.decode(block, at: path, source: .operatorConfig).endpoint.description == "http://127.0.0.1:9000")
        let policy = IssuerPolicy(allowedEndpoints: [EndpointPrefix("http://127.0.0.1:9000/")!])
        #expect(try DigitalOceanConfiguration.decode(block, at: path, source: .issuerConfig(policy: policy)).endpoint.authority == "127.0.0.1:9000")
        #expect(try DigitalOceanConfiguration.decode(["tokenSecretRef": ["name": "do", "key": "t"], "endpoint": "https://api.digitalocean.com/"], at: path, source: .issuerConfig()).endpoint.description == "https://api.digitalocean.com")
        #expect(throws: DNS01Error.self) {
            try DigitalOceanConfiguration.decode(["tokenSecretRef": ["name": "do", "key": "t"], "endpoint": "https://api.digitalocean.com.evil.net"], at: path, source: .issuerConfig())
        }
    }
}
