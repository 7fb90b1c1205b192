import CloudDNSProvider
import DNS01
import TestSupport
import Testing

/// An Issuer may not send the webhook's requests (with its key's assertion or its token) to
/// another host: not through the block's endpoints, nor through the `token_uri` of the key in
/// its Secret. The operator may, and the operator's `issuerPolicy` can allow a prefix.
@Suite("cloudDNS endpoints: Issuer policy", .serialized)
struct CloudDNSPolicyTests {
    func block(_ field: String, _ url: String) -> ConfigValue {
        .object(["project": "my-project", "serviceAccountSecretRef": ["name": "s", "key": "key.json"], field: .string(url)])
    }

    @Test(
        "an Issuer may not point the API, the token endpoint or STS elsewhere, nor set the metadata server at all",
        arguments: [
            ("endpoint", "http://127.0.0.1:8080/dns/v1"), ("tokenEndpoint", "https://oauth2.googleapis.com.evil.net/token"),
            ("stsEndpoint", "https://sts.example.com/v1/token"), ("metadataEndpoint", "http://169.254.169.254"),
            ("endpoint", "http://dns.googleapis.com/dns/v1"), ("endpoint", "https://dns.googleapis.com:8443/dns/v1"),
            ("endpoint", "https://storage.googleapis.com/dns/v1"),
        ])
    func issuerRefused(field: String, url: String) {
        let error = #expect(throws: DNS01Error.self) {
            try CloudDNSConfiguration.decode(block(field, url), at: .root.appending("cloudDNS"), source: .issuerConfig())
        }
        #expect(error?.code == .forbiddenByPolicy)
        #expect(error?.message.hasPrefix("cloudDNS.\(field) \"") == true, "\(error?.message ?? "")")
        #expect(error?.message.contains("https://dns.googleapis.com, https://oauth2.googleapis.com, https://sts.googleapis.com, https://accounts.google.com") == true)
    }

    @Test(
        "an Issuer may name Google's own hosts",
        arguments: [
            ("endpoint", "https://dns.googleapis.com/dns/v1"), ("tokenEndpoint", "https://oauth2.googleapis.com/token"),
            ("tokenEndpoint", "https://accounts.google.com/o/oauth2/token"), ("stsEndpoint", "https://sts.googleapis.com/v1/token"),
        ])
    func issuerOfficial(field: String, url: String) throws {
        _ = try CloudDNSConfiguration.decode(block(field, url), at: .root, source: .issuerConfig())
    }

    @Test("the operator's config may, and so may an Issuer under the operator's allowedEndpoints")
    func operatorAllowed() throws {
        let local = block("endpoint", "http://127.0.0.1:8080/dns/v1")
        #expect(try CloudDNSConfiguration.decode(local, at: .root, source: .operatorConfig).endpoint.description == "http://127.0.0.1:8080/dns/v1")
        let policy = IssuerPolicy(allowedEndpoints: [EndpointPrefix("http://127.0.0.1:8080/")!])
        #expect(try CloudDNSConfiguration.decode(local, at: .root, source: .issuerConfig(policy: policy)).endpoint.authority == "127.0.0.1:8080")
    }

    @Test("the token_uri of a key in an Issuer's Secret is held to the same rule, before any request")
    func keyTokenURIFromIssuer() async throws {
        let emulator = try await GCP.emulator()
        let key = try await GCP.keyFile(emulator)  // token_uri: http://127.0.0.1:PORT/token
        let issuerBlock: ConfigValue = ["project": "test-project", "serviceAccountSecretRef": ["name": .string(GCP.secretName), "key": "key.json"]]
        let plugin = GCP.plugin()
        let context = GCP.context(secrets: GCP.secrets([GCP.secretName: key]))
        do {
            _ = try await GCP.provider(plugin, config: issuerBlock, context: context, source: .issuerConfig())
            Issue.record("an Issuer's key redirected the token request")
        } catch let error as DNS01Error {
            #expect(error.code == .forbiddenByPolicy)
            #expect(error.message.hasPrefix("cloudDNS.serviceAccountSecretRef.token_uri \"\(emulator.baseURL)/token\" is not allowed in an Issuer's config"), "\(error.message)")
        }
        #expect(try await GCP.counts(emulator).isEmpty)
        // The operator's allowedEndpoints can allow it (here, with the API on the emulator too).
        let policy = IssuerPolicy(allowedEndpoints: [EndpointPrefix(emulator.baseURL + "/")!])
        let allowedBlock = GCP.config(emulator)
        let provider = try await GCP.provider(plugin, config: allowedBlock, context: context, source: .issuerConfig(policy: policy))
        try await provider.present(GCP.challenge(.present, "_acme-challenge.policy.example.com", "allowed"))
        #expect(try await GCP.storedValues(emulator, "_acme-challenge.policy.example.com") == ["allowed"])
    }
}
