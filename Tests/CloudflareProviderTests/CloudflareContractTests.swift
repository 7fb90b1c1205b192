import CloudflareProvider
import DNS01
import ProviderKit
import TestSupport
import Testing

@Suite("Cloudflare provider: the provider contract (against the Cloudflare emulator)", .serialized)
struct CloudflareContractTests {
    static func subject(_ emulator: EmulatorPeer) throws -> ProviderContractSubject {
        var registry = ProviderRegistry()
        registry.register(CF.plugin())
        return ProviderContractSubject(
            solver: "cloudflare",
            registry: registry,
            config: CF.tokenConfig(emulator),
            wrongCredentialsConfig: CF.tokenConfig(emulator, secret: "wrong-token"),
            wrongCredentialsHints: ["apiTokenSecretRef", "API token"],
            secrets: CF.secrets(extra: ["wrong-token": CF.unknownToken]),
            secretStrings: [CF.token, CF.unknownToken],
            namespace: CF.namespace,
            zone: try DomainName("example.com"),
            independentRead: { name in try await CF.storedValues(emulator, name.name) },
            apiCallCount: { try await emulator.apiCallCount() },
            injectFaults: { count in try await emulator.injectFaults(count) },
            seedForeignValue: { name, value in
                try await emulator.seed(["records": [["zone": "example.com", "name": name.name, "type": "TXT", "content": value, "ttl": 120]]])
            }
        )
    }

    @Test(arguments: ProviderContract.allCases)
    func contract(_ contract: ProviderContract) async throws {
        let emulator = try await CF.emulator()
        try await contract.verifyOrSkip(Self.subject(emulator))
        if contract == .apiCallsPerChallenge, let calls = ContractMeasurements.shared.calls(for: "cloudflare") {
            print("cloudflare: warm Present \(calls.present) API calls, warm CleanUp \(calls.cleanUp)")
        }
    }
}
