import AcmeShProvider
import DNS01
import TestSupport
import Testing

/// The contract suite against the bridge running `dns_testhwsign.sh`, a script written for
/// these tests in acme.sh's dnsapi style that signs every request SDK-HMAC-SHA256 with the
/// shim's `_digest` and `_hmac`, against the Huawei Cloud DNS emulator, which checks each
/// signature (a wrong SK is refused with 401).
@Suite("acmesh provider: the provider contract (HMAC-signing dns_testhwsign.sh against the Huawei Cloud emulator)", .serialized)
struct AcmeShSignedAPITests {
    static let secretKey = "huawei-test-secret"

    static func block(_ emulator: EmulatorPeer, secretKey: String = "sk") -> ConfigValue {
        [
            "script": "dns_testhwsign",
            "scriptsDir": .string(AcmeShFixture.scriptsDirectory),
            "env": [
                "HWS_AccessKey": "HWAKDNSTEST",
                "HWS_SecretKey": ["secretKeyRef": ["name": "huawei", "key": .string(secretKey)]],
                "HWS_Endpoint": .string(emulator.baseURL),
                // The emulator's injected faults clear at once: retry without the real wait.
                "HWS_RetryDelay": "0",
            ],
        ]
    }

    @Test(arguments: ProviderContract.allCases)
    func contract(_ contract: ProviderContract) async throws {
        let emulator = try await EmulatorPeer("huaweicloud_emulator.py")
        var registry = ProviderRegistry()
        registry.register(AcmeShFixture.plugin())
        let subject = ProviderContractSubject(
            solver: "acmesh",
            registry: registry,
            config: Self.block(emulator),
            wrongCredentialsConfig: Self.block(emulator, secretKey: "wrong"),
            wrongCredentialsHints: ["HWS_SecretKey", "401"],
            secrets: AcmeShFixture.secrets(["huawei": ["sk": Self.secretKey, "wrong": "not-the-huawei-secret"]]),
            secretStrings: [Self.secretKey, "not-the-huawei-secret"],
            namespace: AcmeShFixture.namespace,
            zone: try DomainName("example.com"),
            independentRead: { name in
                let sets = try await emulator.state()["records"] as? [[String: Any]] ?? []
                return sets.filter { $0["type"] as? String == "TXT" && $0["name"] as? String == name.fqdn }
                    .flatMap { $0["records"] as? [String] ?? [] }.map(TXTRecord.unquoted)
            },
            readsBackThroughProvider: false,
            apiCallCount: { try await emulator.apiCallCount() },
            injectFaults: { count in try await emulator.injectFaults(count) },
            seedForeignValue: { name, value in
                try await emulator.seed(["records": [["zone": "example.com", "name": name.fqdn, "type": "TXT", "records": [TXTRecord.quoted(value)]]]])
            },
            // The zone found label by label (two lookups for a name one label below it), the
            // set read, the set written: 4 calls each way.
            maximumCallsPerPresent: 4,
            maximumCallsPerCleanUp: 4
        )
        try await contract.verifyOrSkip(subject)
        if contract == .apiCallsPerChallenge, let calls = ContractMeasurements.shared.calls(for: "acmesh") {
            print("acmesh (dns_testhwsign): a warm Present costs \(calls.present) API calls, a warm CleanUp \(calls.cleanUp)")
        }
    }
}
