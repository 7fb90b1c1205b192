import DNS01
import OVHProvider
import ProviderKit

extension ProviderBenchSubject {
    /// The OVH API emulator (Tests/Peers/ovh_emulator.py), application keys and `$1$` signatures.
    static let ovh = ProviderBenchSubject(name: "ovh") {
        let emulator = try EmulatorProcess(script: "ovh_emulator.py")
        var registry = ProviderRegistry()
        registry.register(OVHPlugin())
        return ProviderBenchTarget(
            registry: registry,
            config: [
                "endpoint": .string(emulator.baseURL + "/1.0"), "authenticationMethod": "application",
                "applicationKeyRef": ["name": "ovh", "key": "ak"], "applicationSecretRef": ["name": "ovh", "key": "as"],
                "applicationConsumerKeyRef": ["name": "ovh", "key": "ck"],
            ],
            secrets: StaticSecretSource([
                .init(namespace: "bench", name: "ovh"): [
                    "ak": SecretValue("ovhtestappkey"), "as": SecretValue("ovh-test-app-secret"), "ck": SecretValue("ovhtestconsumerkey"),
                ]
            ]),
            zone: try DomainName("example.com"),
            apiCalls: { try await emulator.apiCalls() }, stop: { emulator.stop() }
        )
    }
}
