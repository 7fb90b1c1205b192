import DNS01
import HetznerProvider
import ProviderKit

extension ProviderBenchSubject {
    /// The Hetzner Cloud emulator (Tests/Peers/hetzner_emulator.py): add_records and
    /// remove_records actions, each waited for.
    static let hetzner = ProviderBenchSubject(name: "hetzner") {
        let emulator = try EmulatorProcess(script: "hetzner_emulator.py")
        var registry = ProviderRegistry()
        // Actions finish at once in the emulator: poll after 10 ms instead of 250 ms.
        registry.register(HetznerPlugin(polling: HetznerActionPolling(initialDelay: .milliseconds(10))))
        return ProviderBenchTarget(
            registry: registry,
            config: ["tokenSecretKeyRef": ["name": "hetzner", "key": "token"], "hcloudEndpoint": .string(emulator.baseURL + "/v1")],
            secrets: StaticSecretSource([.init(namespace: "bench", name: "hetzner"): ["token": SecretValue("hetzner-test-token")]]),
            zone: try DomainName("example.com"),
            apiCalls: { try await emulator.apiCalls() }, stop: { emulator.stop() }
        )
    }
}
