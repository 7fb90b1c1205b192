import AkamaiProvider
import DNS01
import ProviderKit
import TestSupport
import Testing

@Suite("Akamai provider: the provider contract (against the EdgeGrid-checking Edge DNS emulator)", .serialized)
struct AkamaiContractTests {
    static func subject(_ emulator: EmulatorPeer) throws -> ProviderContractSubject {
        var registry = ProviderRegistry()
        registry.register(AK.plugin())
        return ProviderContractSubject(
            solver: "akamai",
            registry: registry,
            config: AK.config(emulator),
            wrongCredentialsConfig: AK.config(emulator, secret: "akamai-wrong"),
            wrongCredentialsHints: ["clientSecretSecretRef", "signature"],
            secrets: AK.secrets(extra: ["akamai-wrong": AK.secretData(clientSecret: "d3Jvbmctc2VjcmV0LWZvci10ZXN0cy0wMDAwMDAwMDA=")]),
            secretStrings: [AK.clientSecret, "d3Jvbmctc2VjcmV0LWZvci10ZXN0cy0wMDAwMDAwMDA="],
            namespace: AK.namespace,
            zone: try DomainName("example.com"),
            independentRead: { name in try await AK.storedValues(emulator, name.name) },
            apiCallCount: { try await emulator.apiCallCount() },
            injectFaults: { count in try await emulator.injectFaults(count) },
            seedForeignValue: { name, value in
                try await emulator.seed(["recordsets": [["zone": "example.com", "name": name.name, "type": "TXT", "ttl": 600, "rdata": [value]]]])
            },
            // Read, write, read back: with no precondition on record sets, every write is
            // verified (ProviderKit's ValueSetWriter), as for Gandi.
            maximumCallsPerPresent: 3,
            maximumCallsPerCleanUp: 3
        )
    }

    @Test(arguments: ProviderContract.allCases)
    func contract(_ contract: ProviderContract) async throws {
        let emulator = try await AK.emulator()
        try await contract.verifyOrSkip(Self.subject(emulator))
        if contract == .apiCallsPerChallenge, let calls = ContractMeasurements.shared.calls(for: "akamai") {
            print("akamai: warm Present \(calls.present) API calls, warm CleanUp \(calls.cleanUp)")
        }
        if contract == .concurrentPresentsAndCleanUps {
            // The emulator flags a write made without reading the current version: the
            // signature of a lost update. Serialized per name, there is none.
            let stale = try await AK.writes(emulator).filter { $0["staleRead"] as? Bool == true }
            #expect(stale.isEmpty, "\(stale)")
        }
    }
}
