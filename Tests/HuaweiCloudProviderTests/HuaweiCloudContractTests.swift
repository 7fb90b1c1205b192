import DNS01
import HuaweiCloudProvider
import ProviderKit
import TestSupport
import Testing

@Suite("Huawei Cloud DNS provider: the provider contract (against the signature-checking emulator)", .serialized)
struct HuaweiCloudContractTests {
    static func subject(_ emulator: EmulatorPeer) throws -> ProviderContractSubject {
        var registry = ProviderRegistry()
        registry.register(HuaweiFixture.plugin())
        let secrets = StaticSecretSource([
            .init(namespace: HuaweiFixture.namespace, name: "huaweicloud-secret"): [
                "accessKey": SecretValue(HuaweiFixture.accessKey), "secretKey": SecretValue(HuaweiFixture.secretKey),
            ],
            .init(namespace: HuaweiFixture.namespace, name: "wrong"): [
                "accessKey": SecretValue(HuaweiFixture.accessKey), "secretKey": SecretValue("not-the-huawei-secret"),
            ],
        ])
        let zone = try DomainName("example.com")
        return ProviderContractSubject(
            solver: "huaweicloud",
            registry: registry,
            config: HuaweiFixture.config(emulator),
            wrongCredentialsConfig: HuaweiFixture.config(
                emulator,
                extra: [
                    "accessKeyRef": ["name": "wrong", "key": "accessKey"],
                    "secretKeyRef": ["name": "wrong", "key": "secretKey"],
                ]),
            wrongCredentialsHints: ["secret access key (SK)", "cert-manager/wrong"],
            secrets: secrets,
            secretStrings: [HuaweiFixture.secretKey, "not-the-huawei-secret"],
            namespace: HuaweiFixture.namespace,
            zone: zone,
            independentRead: { name in
                try await emulator.storedValues(name.fqdn).map(TXTRecord.unquoted)
            },
            apiCallCount: { try await emulator.apiCallCount() },
            injectFaults: { count in try await emulator.injectFaults(count) },
            seedForeignValue: { name, value in
                // Into the set this provider will add to, as another tool would have written it.
                let existing = try await emulator.recordSets().first { $0["type"] as? String == "TXT" && $0["name"] as? String == name.fqdn }
                precondition(existing == nil, "the contract seeds into a fresh name")
                try await emulator.seed(["records": [["zone": "example.com", "name": name.fqdn, "type": "TXT", "records": [TXTRecord.quoted(value)]]]])
            },
            // Read, write, and the read-back that verifies the write (the API has no precondition).
            maximumCallsPerPresent: 3,
            maximumCallsPerCleanUp: 3
        )
    }

    @Test(arguments: ProviderContract.allCases)
    func contract(_ contract: ProviderContract) async throws {
        let emulator = try await HuaweiFixture.emulator()
        try await contract.verifyOrSkip(Self.subject(emulator))
        if contract == .apiCallsPerChallenge, let calls = ContractMeasurements.shared.calls(for: "huaweicloud") {
            print("huaweicloud: a warm Present cost \(calls.present) API call(s), a warm CleanUp \(calls.cleanUp)")
        }
        if contract == .concurrentPresentsAndCleanUps {
            let counts = try await emulator.state()["counts"] as? [String: Int] ?? [:]
            print("huaweicloud, 16 concurrent presents and cleanups: \(counts.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))")
        }
    }
}
