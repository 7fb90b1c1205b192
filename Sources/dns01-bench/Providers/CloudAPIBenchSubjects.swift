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
