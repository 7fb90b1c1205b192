import DNS01
import HetznerProvider
import ProviderKit
import TestSupport
import Testing

@Suite("Hetzner provider: the provider contract (against the Hetzner Cloud emulator)", .serialized)
struct HetznerContractTests {
    static func subject(_ emulator: EmulatorPeer) throws -> ProviderContractSubject {
        var registry = ProviderRegistry()
        registry.register(HetznerFixture.plugin())
        let zone = try DomainName("example.com")
        return ProviderContractSubject(
            solver: "hetzner",
            registry: registry,
            config: HetznerFixture.config(emulator),
            wrongCredentialsConfig: HetznerFixture.config(emulator, secret: "wrong"),
            wrongCredentialsHints: ["API token", "secret cert-manager/wrong"],
            secrets: HetznerFixture.secrets(),
            secretStrings: [HetznerFixture.token, "not-a-hetzner-token"],
            namespace: HetznerFixture.namespace,
            zone: zone,
            independentRead: { name in
                try await HetznerFixture.values(emulator, name: name.relativeName(in: zone) ?? "")
            },
            apiCallCount: { try await emulator.apiCallCount() },
            injectFaults: { count in try await emulator.injectFaults(count) },
            seedForeignValue: { name, value in
                try await emulator.seed(["records": [["zone": "example.com", "name": name.relativeName(in: zone) ?? "", "type": "TXT", "values": [TXTRecord.quoted(value)]]]])
            },
            maximumCallsPerPresent: 2,
            maximumCallsPerCleanUp: 2
        )
    }

    @Test(arguments: ProviderContract.allCases)
    func contract(_ contract: ProviderContract) async throws {
        let emulator = try await HetznerFixture.emulator()
        try await contract.verifyOrSkip(Self.subject(emulator))
        if contract == .apiCallsPerChallenge, let calls = ContractMeasurements.shared.calls(for: "hetzner") {
            print("hetzner: a warm Present costs \(calls.present) API calls, a warm CleanUp \(calls.cleanUp)")
        }
    }
}
