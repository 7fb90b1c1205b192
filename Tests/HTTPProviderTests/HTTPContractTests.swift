import DNS01
import HTTPProvider
import TestSupport
import Testing

@Suite("http provider: the provider contract (against a lego httpreq hook)", .serialized)
struct HTTPContractTests {
    static func subject(_ hook: HookPeer) throws -> ProviderContractSubject {
        var registry = ProviderRegistry()
        registry.register(HTTPPlugin())
        return ProviderContractSubject(
            solver: "http",
            registry: registry,
            config: ["endpoint": .string(hook.base + "/acme"), "bearerTokenSecretRef": ["name": "hook", "key": "token"]],
            wrongCredentialsConfig: ["endpoint": .string(hook.base + "/acme"), "bearerTokenSecretRef": ["name": "hook", "key": "password"]],
            wrongCredentialsHints: ["401"],
            secrets: HookTest.secrets,
            secretStrings: ["t0ken-abcdef", "pa55-word"],
            namespace: HookTest.namespace,
            zone: try DomainName("example.com"),
            // The hook convention has no read-back; check reads the hook's own state.
            independentRead: { name in try await hook.state().records[name.fqdn] ?? [] },
            readsBackThroughProvider: false,
            apiCallCount: { try await hook.state().posts.count },
            seedForeignValue: nil,
            maximumCallsPerPresent: 1,
            maximumCallsPerCleanUp: 1
        )
    }

    @Test(arguments: ProviderContract.allCases)
    func contract(_ contract: ProviderContract) async throws {
        let hook = try await HookPeer(["--bearer", "t0ken-abcdef"])
        defer { hook.stop() }
        try await contract.verifyOrSkip(Self.subject(hook))
    }
}
