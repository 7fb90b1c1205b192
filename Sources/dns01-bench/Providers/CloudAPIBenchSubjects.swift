import AcmeDNSProvider
import AkamaiProvider
import CloudflareProvider
import DNS01
import DigitalOceanProvider
import ProviderKit

extension ProviderBenchSubject {
    /// The Cloudflare emulator (Tests/Peers/cloudflare_emulator.py), with an API token.
    static let cloudflare = ProviderBenchSubject(name: "cloudflare") {
        let emulator = try EmulatorProcess(script: "cloudflare_emulator.py")
        var registry = ProviderRegistry()
        registry.register(CloudflarePlugin())
        return ProviderBenchTarget(
            registry: registry,
            config: ["apiTokenSecretRef": ["name": "cloudflare", "key": "token"], "endpoint": .string(emulator.baseURL + "/client/v4")],
            secrets: StaticSecretSource([.init(namespace: "bench", name: "cloudflare"): ["token": SecretValue("cf-test-token-all-zones-dns-edit-0000000")]]),
            zone: try DomainName("example.com"),
            apiCalls: { try await emulator.apiCalls() }, stop: { emulator.stop() }
        )
    }

    /// The DigitalOcean emulator (Tests/Peers/digitalocean_emulator.py).
    static let digitalocean = ProviderBenchSubject(name: "digitalocean") {
        let emulator = try EmulatorProcess(script: "digitalocean_emulator.py")
        var registry = ProviderRegistry()
        registry.register(DigitalOceanPlugin())
        return ProviderBenchTarget(
            registry: registry,
            config: ["tokenSecretRef": ["name": "digitalocean", "key": "token"], "endpoint": .string(emulator.baseURL)],
            secrets: StaticSecretSource([.init(namespace: "bench", name: "digitalocean"): ["token": SecretValue("dop_v1_" + String(repeating: "0", count: 64))]]),
            zone: try DomainName("example.com"),
            apiCalls: { try await emulator.apiCalls() }, stop: { emulator.stop() }
        )
    }
}

extension ProviderBenchSubject {
    /// The EdgeGrid-checking Akamai Edge DNS emulator (Tests/Peers/akamai_emulator.py).
    static let akamai = ProviderBenchSubject(name: "akamai") {
        let emulator = try EmulatorProcess(script: "akamai_emulator.py")
        var registry = ProviderRegistry()
        registry.register(AkamaiPlugin())
        return ProviderBenchTarget(
            registry: registry,
            config: [
                "serviceConsumerDomain": "akab-emulator00000000-0000000000000000.luna.akamaiapis.net",
                "clientTokenSecretRef": ["name": "akamai", "key": "clientToken"],
                "clientSecretSecretRef": ["name": "akamai", "key": "clientSecret"],
                "accessTokenSecretRef": ["name": "akamai", "key": "accessToken"],
                "endpoint": .string(emulator.baseURL),
            ],
            secrets: StaticSecretSource([
                .init(namespace: "bench", name: "akamai"): [
                    "clientToken": SecretValue("akab-cccccccccccccccc-0000000000000000"),
                    "clientSecret": SecretValue("c2VjcmV0LWZvci10ZXN0cy1vbmx5LWRuczAxLTAwMDA="),
                    "accessToken": SecretValue("akab-aaaaaaaaaaaaaaaa-0000000000000000"),
                ]
            ]),
            zone: try DomainName("example.com"),
            apiCalls: { try await emulator.apiCalls() }, stop: { emulator.stop() }
        )
    }
}

extension ProviderBenchSubject {
    /// The acme-dns emulator (Tests/Peers/acmedns_emulator.py): one preconfigured account,
    /// named for every domain the benchmark uses. acme-dns has no delete, so a CleanUp makes no
    /// call.
    static let acmeDNS = ProviderBenchSubject(name: "acmeDNS") {
        let emulator = try EmulatorProcess(script: "acmedns_emulator.py")
        var registry = ProviderRegistry()
        registry.register(AcmeDNSPlugin())
        let account =
            #"{"username":"11111111-2222-4333-8444-555555555555","password":"acmeDnsTestPassword_0000000000000000000A","fulldomain":"aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee.auth.example.org","subdomain":"aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee","allowfrom":[]}"#
        let domains = ["warm.example.com"] + (0..<1000).map { "round\($0).example.com" }
        let accounts = "{" + domains.map { "\"\($0)\":\(account)" }.joined(separator: ",") + "}"
        return ProviderBenchTarget(
            registry: registry,
            config: ["host": .string(emulator.baseURL), "accountSecretRef": ["name": "acme-dns", "key": "acmedns.json"]],
            secrets: StaticSecretSource([.init(namespace: "bench", name: "acme-dns"): ["acmedns.json": SecretValue(accounts)]]),
            zone: try DomainName("example.com"),
            apiCalls: { try await emulator.apiCalls() }, stop: { emulator.stop() }
        )
    }
}
