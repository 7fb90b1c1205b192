import AcmeShProvider
import DNS01
import TestSupport
import Testing

/// The contract suite against the bridge running `dns_testhcloud.sh` (a script written for
/// these tests in acme.sh's dnsapi style: `_get`, `_post`, `_egrep_o`,
/// `_saveaccountconf_mutable`) against the Hetzner Cloud emulator.
@Suite("acmesh provider: the provider contract (dns_testhcloud.sh against the Hetzner Cloud emulator)", .serialized)
struct AcmeShContractTests {
    static func block(_ emulator: EmulatorPeer, tokenKey: String = "token") -> ConfigValue {
        [
            "script": "dns_testhcloud",
            "scriptsDir": .string(AcmeShFixture.scriptsDirectory),
            "env": [
                "HCLOUDT_Token": ["secretKeyRef": ["name": "hetzner", "key": .string(tokenKey)]],
                "HCLOUDT_Api": .string(emulator.baseURL + "/v1"),
                // The emulator's injected faults clear at once: retry without the real wait.
                "HCLOUDT_RetryDelay": "0",
            ],
            "timeout": "60s",
        ]
    }

    static func subject(_ emulator: EmulatorPeer) throws -> ProviderContractSubject {
        var registry = ProviderRegistry()
        registry.register(AcmeShFixture.plugin())
        let zone = try DomainName("example.com")
        return ProviderContractSubject(
            solver: "acmesh",
            registry: registry,
            config: block(emulator),
            wrongCredentialsConfig: block(emulator, tokenKey: "wrong"),
            wrongCredentialsHints: ["HCLOUDT_Token", "401"],
            secrets: AcmeShFixture.secrets(),
            secretStrings: ["hetzner-test-token", "not-a-hetzner-token"],
            namespace: AcmeShFixture.namespace,
            zone: zone,
            independentRead: { name in
                let records = try await emulator.state()["records"] as? [[String: Any]] ?? []
                let relative = name.relativeName(in: zone) ?? ""
                return
                    records
                    .filter { $0["zoneName"] as? String == "example.com" && $0["name"] as? String == relative && $0["type"] as? String == "TXT" }
                    .flatMap { ($0["records"] as? [[String: Any]] ?? []).compactMap { $0["value"] as? String } }
                    .map(TXTRecord.unquoted)
            },
            readsBackThroughProvider: false,
            apiCallCount: { try await emulator.apiCallCount() },
            injectFaults: { count in try await emulator.injectFaults(count) },
            seedForeignValue: { name, value in
                try await emulator.seed(["records": [["zone": "example.com", "name": name.relativeName(in: zone) ?? "", "type": "TXT", "values": [TXTRecord.quoted(value)]]]])
            },
            // The script lists the zones, adds the value and polls the action once: 3 calls;
            // rm finds the zone id in the saved domain conf: remove and poll, 2.
            maximumCallsPerPresent: 3,
            maximumCallsPerCleanUp: 2
        )
    }

    @Test(arguments: ProviderContract.allCases)
    func contract(_ contract: ProviderContract) async throws {
        let emulator = try await EmulatorPeer("hetzner_emulator.py")
        try await contract.verifyOrSkip(Self.subject(emulator))
        if contract == .apiCallsPerChallenge, let calls = ContractMeasurements.shared.calls(for: "acmesh") {
            print("acmesh (dns_testhcloud): a warm Present costs \(calls.present) API calls, a warm CleanUp \(calls.cleanUp)")
        }
    }
}
