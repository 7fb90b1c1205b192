import DNS01
import DigitalOceanProvider
import ProviderKit
import TestSupport
import Testing

@Suite("DigitalOcean provider: the provider contract (against the DigitalOcean emulator)", .serialized)
struct DigitalOceanContractTests {
    static func subject(_ emulator: EmulatorPeer) throws -> ProviderContractSubject {
        var registry = ProviderRegistry()
        registry.register(DO.plugin())
        return ProviderContractSubject(
            solver: "digitalocean",
            registry: registry,
            config: DO.config(emulator),
            wrongCredentialsConfig: DO.config(emulator, secret: "wrong-token"),
            wrongCredentialsHints: ["tokenSecretRef", "token"],
            secrets: DO.secrets(extra: ["wrong-token": DO.unknownToken]),
            secretStrings: [DO.token, DO.unknownToken],
            namespace: DO.namespace,
            zone: try DomainName("example.com"),
            independentRead: { name in try await DO.storedValues(emulator, name.name) },
            apiCallCount: { try await emulator.apiCallCount() },
            injectFaults: { count in try await emulator.injectFaults(count) },
            seedForeignValue: { name, value in
                let relative = name.relativeName(in: try DomainName("example.com")) ?? name.name
                try await emulator.seed(["records": [["domain": "example.com", "name": relative, "type": "TXT", "data": value, "ttl": 300]]])
            }
        )
    }

    @Test(arguments: ProviderContract.allCases)
    func contract(_ contract: ProviderContract) async throws {
        let emulator = try await DO.emulator()
        try await contract.verifyOrSkip(Self.subject(emulator))
        if contract == .apiCallsPerChallenge, let calls = ContractMeasurements.shared.calls(for: "digitalocean") {
            print("digitalocean: warm Present \(calls.present) API calls, warm CleanUp \(calls.cleanUp)")
        }
    }
}
