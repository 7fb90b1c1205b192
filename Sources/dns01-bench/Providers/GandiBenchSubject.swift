import DNS01
import GandiProvider
import ProviderKit

extension ProviderBenchSubject {
    /// The Gandi LiveDNS emulator (Tests/Peers/gandi_emulator.py): read, write, verify.
    static let gandi = ProviderBenchSubject(name: "gandi") {
        let emulator = try EmulatorProcess(script: "gandi_emulator.py")
        var registry = ProviderRegistry()
        registry.register(GandiPlugin())
        return ProviderBenchTarget(
            registry: registry,
            config: ["apiKeySecretRef": ["name": "gandi", "key": "token"], "endpoint": .string(emulator.baseURL + "/v5/livedns")],
            secrets: StaticSecretSource([.init(namespace: "bench", name: "gandi"): ["token": SecretValue("gandi-test-pat")]]),
            zone: try DomainName("example.com"),
            apiCalls: { try await emulator.apiCalls() }, stop: { emulator.stop() }
        )
    }
}
