import CloudflareProvider
import ConfigLoading
import DNS01
import ProviderKit
import TestSupport
import Testing

@Suite("cloudflare config")
struct CloudflareConfigurationTests {
    let path = ConfigPath.root.appending("providers").appending(index: 0).appending("cloudflare")

    func decode(_ block: ConfigValue, source: ConfigSource = .issuerConfig()) throws(DNS01Error) -> CloudflareConfiguration {
        try CloudflareConfiguration.decode(block, at: path, source: source)
    }

    func message(_ block: ConfigValue, source: ConfigSource = .issuerConfig()) -> String? {
        do {
            _ = try decode(block, source: source)
            return nil
        } catch {
            return error.message
        }
    }

    @Test("accepts cert-manager's documented API token block unchanged, on Cloudflare's API")
    func documentedTokenBlock() throws {
        let block = try ConfigDocument.parse(
            """
            apiTokenSecretRef:
              name: cloudflare-api-token-secret
              key: api-token
            """, source: "cert-manager docs")
        let configuration = try decode(block)
        #expect(configuration.credentials == .apiToken(SecretReference(name: "cloudflare-api-token-secret", key: "api-token")))
        #expect(configuration.endpoint.description == "https://api.cloudflare.com/client/v4")
    }

    @Test("accepts cert-manager's documented global API key block unchanged")
    func documentedKeyBlock() throws {
        let block = try ConfigDocument.parse(
            """
            email: my-cloudflare-acc@example.com
            apiKeySecretRef:
              name: cloudflare-api-key-secret
              key: api-key
            """, source: "cert-manager docs")
        #expect(try decode(block).credentials == .apiKey(email: "my-cloudflare-acc@example.com", SecretReference(name: "cloudflare-api-key-secret", key: "api-key")))
    }

    @Test("the descriptor's example decodes")
    func descriptorExample() throws {
        _ = try decode(try ConfigDocument.parse(CloudflarePlugin.descriptor.example, source: "example"))
        #expect(CloudflarePlugin.descriptor.ambientCredentials == nil)
        #expect(CloudflarePlugin.descriptor.migration?.hasPrefix("From cert-manager's built-in `cloudflare` solver: change") == true)
    }

    @Test(
        "names the field path of each mistake",
        arguments: [
            (
                [:] as ConfigValue,
                "providers[0].cloudflare apiKeySecretRef or apiTokenSecretRef is required"
            ),
            (
                ["apiTokenSecretRef": ["name": "a", "key": "t"], "apiKeySecretRef": ["name": "a", "key": "k"], "email": "a@example.com"] as ConfigValue,
                "providers[0].cloudflare apiKeySecretRef and apiTokenSecretRef cannot both be specified"
            ),
            (
                ["apiKeySecretRef": ["name": "a", "key": "k"]] as ConfigValue,
                "providers[0].cloudflare.email is required with apiKeySecretRef"
            ),
            (
                ["apiKeySecretRef": ["name": "a", "key": "k"], "email": "not an email"] as ConfigValue,
                "providers[0].cloudflare.email must be the email address of the Cloudflare account"
            ),
            (
                ["apiTokenSecretRef": ["name": "a"]] as ConfigValue,
                "providers[0].cloudflare.apiTokenSecretRef.key is required"
            ),
            (
                ["apiTokenSecretRef": ["name": "a", "key": "t"], "apiToken": "x"] as ConfigValue,
                "providers[0].cloudflare has an unknown field \"apiToken\""
            ),
            (
                ["apiTokenSecretRef": ["name": "a", "key": "t"], "emial": "a@example.com"] as ConfigValue,
                "providers[0].cloudflare has an unknown field \"emial\" (did you mean \"email\"?)"
            ),
            (
                ["apiTokenSecretRef": ["name": "a", "key": "t"], "endpoint": "api.cloudflare.com"] as ConfigValue,
                "providers[0].cloudflare.endpoint must be an http or https URL such as https://api.cloudflare.com/client/v4"
            ),
        ])
    func mistakes(block: ConfigValue, expected: String) {
        let text = message(block, source: .operatorConfig)
        #expect(text?.hasPrefix(expected) == true, "\(text ?? "no error")")
    }
}
