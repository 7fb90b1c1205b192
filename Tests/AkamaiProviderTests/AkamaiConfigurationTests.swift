import AkamaiProvider
import ConfigLoading
import DNS01
import ProviderKit
import Testing

@Suite("akamai config and Issuer policy")
struct AkamaiConfigurationTests {
    let path = ConfigPath.root.appending("akamai")
    static let documented = """
        serviceConsumerDomain: akab-tho6xie2aiteip8p-poith5aej0peiv6u.luna.akamaiapis.net
        clientTokenSecretRef:
          name: akamai-dns
          key: clientToken
        clientSecretSecretRef:
          name: akamai-dns
          key: clientSecret
        accessTokenSecretRef:
          name: akamai-dns
          key: accessToken
        """

    func decode(_ block: ConfigValue, source: ConfigSource = .issuerConfig()) throws(DNS01Error) -> AkamaiConfiguration {
        try AkamaiConfiguration.decode(block, at: path, source: source)
    }

    func message(_ block: ConfigValue, source: ConfigSource = .operatorConfig) -> String? {
        do {
            _ = try decode(block, source: source)
            return nil
        } catch {
            return error.message
        }
    }

    static func block(_ extra: [String: ConfigValue] = [:], removing: [String] = []) -> ConfigValue {
        var fields: [String: ConfigValue] = [
            "serviceConsumerDomain": "akab-x.luna.akamaiapis.net",
            "clientTokenSecretRef": ["name": "a", "key": "ct"],
            "clientSecretSecretRef": ["name": "a", "key": "cs"],
            "accessTokenSecretRef": ["name": "a", "key": "at"],
        ]
        for key in removing { fields[key] = nil }
        fields.merge(extra) { $1 }
        return .object(fields)
    }

    @Test("accepts cert-manager's documented block unchanged, from an Issuer, on the client's own host")
    func documentedBlock() throws {
        let configuration = try decode(try ConfigDocument.parse(Self.documented, source: "cert-manager docs"))
        #expect(configuration.serviceConsumerDomain == "akab-tho6xie2aiteip8p-poith5aej0peiv6u.luna.akamaiapis.net")
        #expect(configuration.clientSecretSecretRef == SecretReference(name: "akamai-dns", key: "clientSecret"))
        #expect(configuration.endpoint.description == "https://akab-tho6xie2aiteip8p-poith5aej0peiv6u.luna.akamaiapis.net")
        _ = try decode(try ConfigDocument.parse(AkamaiPlugin.descriptor.example, source: "example"))
        #expect(AkamaiPlugin.descriptor.ambientCredentials == nil)
        #expect(AkamaiPlugin.descriptor.recordModel == .readModifyWriteSet)
        #expect(AkamaiPlugin.descriptor.migration?.hasPrefix("From cert-manager's built-in `akamai` solver: change") == true)
    }

    @Test(
        "names the field path of each mistake",
        arguments: [
            (block(removing: ["serviceConsumerDomain"]), "akamai.serviceConsumerDomain is required"),
            (block(["serviceConsumerDomain": "https://akab-x.luna.akamaiapis.net"]), "akamai.serviceConsumerDomain must be the API client's host name, such as akab-xxxx.luna.akamaiapis.net (no scheme, no path)"),
            (block(["serviceConsumerDomain": "akab-x.luna.akamaiapis.net/config-dns"]), "akamai.serviceConsumerDomain must be the API client's host name"),
            (block(removing: ["clientTokenSecretRef"]), "akamai.clientTokenSecretRef is required"),
            (block(removing: ["clientSecretSecretRef"]), "akamai.clientSecretSecretRef is required"),
            (block(removing: ["accessTokenSecretRef"]), "akamai.accessTokenSecretRef is required"),
            (block(["accessTokenSecretRef": ["key": "at"]]), "akamai.accessTokenSecretRef.name is required"),
            (block(["clientToken": "x"]), "akamai has an unknown field \"clientToken\""),
        ])
    func mistakes(block: ConfigValue, expected: String) {
        let text = message(block)
        #expect(text?.hasPrefix(expected) == true, "\(text ?? "no error")")
    }

    @Test(
        "an Issuer may not send the signed requests to another host, by serviceConsumerDomain or endpoint",
        arguments: [
            (block(["serviceConsumerDomain": "evil.example.net"]), "akamai.serviceConsumerDomain \"https://evil.example.net\" is not allowed in an Issuer's config"),
            (block(["serviceConsumerDomain": "akab-x.luna.akamaiapis.net.evil.net"]), "akamai.serviceConsumerDomain \"https://akab-x.luna.akamaiapis.net.evil.net\" is not allowed"),
            (block(["serviceConsumerDomain": "a.b.luna.akamaiapis.net"]), "akamai.serviceConsumerDomain \"https://a.b.luna.akamaiapis.net\" is not allowed"),
            (block(["endpoint": "http://127.0.0.1:8080"]), "akamai.endpoint \"http://127.0.0.1:8080\" is not allowed in an Issuer's config"),
        ])
    func issuerRefused(block: ConfigValue, expected: String) {
        let error = #expect(throws: DNS01Error.self) { try decode(block) }
        #expect(error?.code == .forbiddenByPolicy)
        #expect(error?.message.hasPrefix(expected) == true, "\(error?.message ?? "")")
    }

    @Test("the operator may, and may allow a prefix for Issuers")
    func operatorAllowed() throws {
        let redirected = Self.block(["endpoint": "http://127.0.0.1:8080"])
        #expect(try decode(redirected, source: .operatorConfig).endpoint.description == "http://127.0.0.1:8080")
        let policy = IssuerPolicy(allowedEndpoints: [EndpointPrefix("http://127.0.0.1:8080/")!])
        #expect(try decode(redirected, source: .issuerConfig(policy: policy)).endpoint.authority == "127.0.0.1:8080")
    }
}
