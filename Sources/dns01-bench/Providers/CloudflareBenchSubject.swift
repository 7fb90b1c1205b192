import CloudflareProvider
import DNS01
import ProviderKit

extension ProviderBenchSubject {
    /// The Cloudflare emulator (Tests/Peers/cloudflare_emulator.py) over HTTP, with an API token.
    static let cloudflare = ProviderBenchSubject(name: "cloudflare") {
        let emulator = try EmulatorProcess(script: "cloudflare_emulator.py")
        var registry = ProviderRegistry()
        registry.register(CloudflarePlugin())
        return ProviderBenchTarget(
            registry: registry,
            config: ["apiTokenSecretRef": ["name": "cloudflare", "key": "api-token"], "endpoint": .string(emulator.baseURL + "/client/v4")],
            secrets: StaticSecretSource([.init(namespace: "bench", name: "cloudflare"): ["api-token": SecretValue("cf-test-token-all-zones-dns-edit-0000000")]]),
            zone: try DomainName("example.com"),
            apiCalls: { try await emulator.apiCalls() }, stop: { emulator.stop() }
        )
    }
}
