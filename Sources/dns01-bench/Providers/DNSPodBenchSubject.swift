import DNS01
import DNSPodProvider
import ProviderKit

extension ProviderBenchSubject {
    /// The signature-checking DNSPod emulator (Tests/Peers/dnspod_emulator.py): one record per value.
    static let dnspod = ProviderBenchSubject(name: "dnspod") {
        let emulator = try EmulatorProcess(script: "dnspod_emulator.py")
        var registry = ProviderRegistry()
        registry.register(DNSPodPlugin())
        return ProviderBenchTarget(
            registry: registry,
            config: [
                "endpoint": .string(emulator.baseURL),
                "secretIdRef": ["name": "dnspod", "key": "id"], "secretKeyRef": ["name": "dnspod", "key": "key"],
            ],
            secrets: StaticSecretSource([.init(namespace: "bench", name: "dnspod"): ["id": SecretValue("AKIDDNSPODTEST"), "key": SecretValue("dnspod-test-secret")]]),
            zone: try DomainName("example.com"),
            apiCalls: { try await emulator.apiCalls() }, stop: { emulator.stop() }
        )
    }
}
