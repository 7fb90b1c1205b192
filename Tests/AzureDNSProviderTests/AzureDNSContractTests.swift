import AzureDNSProvider
import DNS01
import ProviderKit
import TestSupport
import Testing

@Suite("Azure DNS provider: the provider contract (against the Azure DNS emulator, over TLS)", .serialized)
struct AzureDNSContractTests {
    static func subject(_ emulator: EmulatorPeer) throws -> ProviderContractSubject {
        var registry = ProviderRegistry()
        registry.register(AZ.plugin())
        return ProviderContractSubject(
            solver: "azureDNS",
            registry: registry,
            config: AZ.secretConfig(emulator, hostedZone: nil),
            wrongCredentialsConfig: AZ.secretConfig(emulator, secret: "wrong-secret", hostedZone: nil),
            wrongCredentialsHints: ["clientSecretSecretRef", "client secret", "AADSTS7000215"],
            secrets: AZ.secrets(["azuredns-config": AZ.clientSecret, "wrong-secret": AZ.wrongSecret]),
            secretStrings: [AZ.clientSecret, AZ.wrongSecret],
            namespace: AZ.namespace,
            zone: try DomainName("example.com"),
            independentRead: { name in try await AZ.storedValues(emulator, name.name) },
            apiCallCount: { try await emulator.apiCallCount() },
            injectFaults: { count in try await emulator.injectFaults(count) },
            seedForeignValue: { name, value in
                try await emulator.seed(["records": [["zone": "example.com", "name": name.name, "values": [value]]]])
            }
        )
    }

    @Test(arguments: ProviderContract.allCases)
    func contract(_ contract: ProviderContract) async throws {
        let emulator = try await AZ.emulator()
        try await contract.verifyOrSkip(Self.subject(emulator))
        if contract == .apiCallsPerChallenge, let calls = ContractMeasurements.shared.calls(for: "azureDNS") {
            print("azureDNS: warm Present \(calls.present) API calls, warm CleanUp \(calls.cleanUp)")
        }
    }
}
