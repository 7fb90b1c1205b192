import CloudflareProvider
import DNS01
import Testing

/// An Issuer may not send the webhook's requests (with its Secret's token) to another host; the
/// operator may, and the operator's `issuerPolicy` can allow a prefix for Issuers.
@Suite("cloudflare endpoint: Issuer policy")
struct CloudflarePolicyTests {
    let block: ConfigValue = ["apiTokenSecretRef": ["name": "cf", "key": "token"], "endpoint": "http://127.0.0.1:8080/client/v4"]

    @Test("an Issuer may not point the API elsewhere")
    func issuerRefused() {
        let error = #expect(throws: DNS01Error.self) {
            try CloudflareConfiguration.decode(block, at: .root.appending("cloudflare"), source: .issuerConfig())
        }
        #expect(error?.code == .forbiddenByPolicy)
        #expect(error?.message.hasPrefix("cloudflare.endpoint \"http://127.0.0.1:8080/client/v4\" is not allowed in an Issuer's config: the provider's official hosts are https://api.cloudflare.com") == true)
    }

    @Test("an Issuer may name Cloudflare's own API", arguments: ["https://api.cloudflare.com/client/v4", "https://API.cloudflare.com/client/v4/"])
    func issuerOfficial(url: String) throws {
        let configuration = try CloudflareConfiguration.decode(["apiTokenSecretRef": ["name": "cf", "key": "token"], "endpoint": .string(url)], at: .root, source: .issuerConfig())
        #expect(configuration.endpoint.description == "https://api.cloudflare.com/client/v4")
    }

    @Test(
        "look-alike hosts are refused from an Issuer",
        arguments: [
            "https://api.cloudflare.com.evil.net/client/v4", "http://api.cloudflare.com/client/v4", "https://api.cloudflare.com:8443/client/v4",
            "https://evil.cloudflare.com/client/v4",
        ])
    func lookAlikes(url: String) {
        #expect(throws: DNS01Error.self) {
            try CloudflareConfiguration.decode(["apiTokenSecretRef": ["name": "cf", "key": "token"], "endpoint": .string(url)], at: .root, source: .issuerConfig())
        }
    }

    @Test("the operator's config may, and so may an Issuer under the operator's allowedEndpoints")
    func operatorAllowed() throws {
        #expect(try CloudflareConfiguration.decode(block, at: .root, source: .operatorConfig).endpoint.description == "http://127.0.0.1:8080/client/v4")
        let policy = IssuerPolicy(allowedEndpoints: [EndpointPrefix("http://127.0.0.1:8080/client/")!])
        #expect(try CloudflareConfiguration.decode(block, at: .root, source: .issuerConfig(policy: policy)).endpoint.authority == "127.0.0.1:8080")
    }
}
