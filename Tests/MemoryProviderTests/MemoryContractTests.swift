import DNS01
import MemoryProvider
import TestSupport
import Testing

@Suite("memory provider: the provider contract")
struct MemoryContractTests {
    static func subject() throws -> ProviderContractSubject {
        let plugin = MemoryPlugin()
        var registry = ProviderRegistry()
        registry.register(plugin)
        let secrets = StaticSecretSource([.init(namespace: "cert-manager", name: "demo"): ["token": SecretValue("memory-demo-token")]])
        return ProviderContractSubject(
            solver: "memory",
            registry: registry,
            config: ["apiTokenSecretRef": ["name": "demo", "key": "token"]],
            wrongCredentialsConfig: ["apiTokenSecretRef": ["name": "demo", "key": "missing"]],
            wrongCredentialsHints: ["demo", "missing"],
            secrets: secrets,
            secretStrings: ["memory-demo-token"],
            zone: try DomainName("example.com"),
            independentRead: { name in plugin.store.values(at: name) },
            apiCallCount: { plugin.store.callCount },
            seedForeignValue: { name, value in plugin.store.add(value, at: name) },
            maximumCallsPerPresent: 1,
            maximumCallsPerCleanUp: 1
        )
    }

    @Test(arguments: ProviderContract.allCases)
    func contract(_ contract: ProviderContract) async throws {
        try await contract.verifyOrSkip(Self.subject())
    }
}
