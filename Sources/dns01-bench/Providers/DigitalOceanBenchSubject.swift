import DNS01
import DigitalOceanProvider
import ProviderKit

extension ProviderBenchSubject {
    /// The DigitalOcean emulator (Tests/Peers/digitalocean_emulator.py) over HTTP.
    static let digitalocean = ProviderBenchSubject(name: "digitalocean") {
        let emulator = try EmulatorProcess(script: "digitalocean_emulator.py")
        var registry = ProviderRegistry()
        registry.register(DigitalOceanPlugin())
        return ProviderBenchTarget(
            registry: registry,
            config: ["tokenSecretRef": ["name": "digitalocean", "key": "access-token"], "endpoint": .string(emulator.baseURL)],
            secrets: StaticSecretSource([.init(namespace: "bench", name: "digitalocean"): ["access-token": SecretValue("dop_v1_" + String(repeating: "0", count: 64))]]),
            zone: try DomainName("example.com"),
            apiCalls: { try await emulator.apiCalls() }, stop: { emulator.stop() }
        )
    }
}
