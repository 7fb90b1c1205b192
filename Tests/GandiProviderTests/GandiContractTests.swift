import DNS01
import GandiProvider
import ProviderKit
import TestSupport
import Testing

@Suite("Gandi provider: the provider contract (against the LiveDNS emulator)", .serialized)
struct GandiContractTests {
    static func subject(_ emulator: EmulatorPeer) throws -> ProviderContractSubject {
        var registry = ProviderRegistry()
        registry.register(GandiFixture.plugin())
        let zone = try DomainName("example.com")
        return ProviderContractSubject(
            solver: "gandi",
            registry: registry,
            config: GandiFixture.config(emulator),
            wrongCredentialsConfig: GandiFixture.config(emulator, secret: "wrong"),
            wrongCredentialsHints: ["personal access token", "secret cert-manager/wrong"],
            secrets: GandiFixture.secrets(),
            secretStrings: [GandiFixture.token, "not-a-gandi-token"],
            namespace: GandiFixture.namespace,
            zone: zone,
            independentRead: { name in
                try await GandiFixture.values(emulator, name: name.relativeName(in: zone) ?? "") ?? []
            },
            apiCallCount: { try await emulator.apiCallCount() },
            injectFaults: { count in try await emulator.injectFaults(count) },
            seedForeignValue: { name, value in
                try await emulator.seed(["records": [["domain": "example.com", "name": name.relativeName(in: zone) ?? "", "type": "TXT", "values": [value], "ttl": 300]]])
            },
            // Read, write, read again to verify: LiveDNS can only replace the whole set.
            maximumCallsPerPresent: 3,
            maximumCallsPerCleanUp: 3
        )
    }

    @Test(arguments: ProviderContract.allCases)
    func contract(_ contract: ProviderContract) async throws {
        let emulator = try await EmulatorPeer("gandi_emulator.py")
        try await contract.verifyOrSkip(Self.subject(emulator))
        if contract == .apiCallsPerChallenge, let calls = ContractMeasurements.shared.calls(for: "gandi") {
            print("gandi: a warm Present costs \(calls.present) API calls, a warm CleanUp \(calls.cleanUp)")
        }
    }
}
