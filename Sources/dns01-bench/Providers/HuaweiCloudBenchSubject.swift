import DNS01
import HuaweiCloudProvider
import ProviderKit

extension ProviderBenchSubject {
    /// The signature-checking Huawei Cloud DNS emulator (Tests/Peers/huaweicloud_emulator.py):
    /// read, write, verify.
    static let huaweicloud = ProviderBenchSubject(name: "huaweicloud") {
        let emulator = try EmulatorProcess(script: "huaweicloud_emulator.py")
        var registry = ProviderRegistry()
        registry.register(HuaweiCloudPlugin())
        return ProviderBenchTarget(
            registry: registry,
            config: [
                "endpoint": .string(emulator.baseURL),
                "accessKeyRef": ["name": "huaweicloud", "key": "ak"], "secretKeyRef": ["name": "huaweicloud", "key": "sk"],
            ],
            secrets: StaticSecretSource([.init(namespace: "bench", name: "huaweicloud"): ["ak": SecretValue("HWAKDNSTEST"), "sk": SecretValue("huawei-test-secret")]]),
            zone: try DomainName("example.com"),
            apiCalls: { try await emulator.apiCalls() }, stop: { emulator.stop() }
        )
    }
}
