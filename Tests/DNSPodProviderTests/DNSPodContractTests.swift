import DNS01
import DNSPodProvider
import ProviderKit
import TestSupport
import Testing

@Suite("DNSPod provider: the provider contract (against the signature-checking emulator)", .serialized)
struct DNSPodContractTests {
    static func subject(_ emulator: EmulatorPeer) throws -> ProviderContractSubject {
        var registry = ProviderRegistry()
        registry.register(DNSPodFixture.plugin())
        let secrets = StaticSecretSource([
            .init(namespace: DNSPodFixture.namespace, name: "dnspod-secret"): [
                "secret-id": SecretValue(DNSPodFixture.secretId), "secret-key": SecretValue(DNSPodFixture.secretKey),
            ],
            .init(namespace: DNSPodFixture.namespace, name: "wrong"): [
                "secret-id": SecretValue(DNSPodFixture.secretId), "secret-key": SecretValue("not-the-secret-key"),
            ],
        ])
        let zone = try DomainName("example.com")
        return ProviderContractSubject(
            solver: "dnspod",
            registry: registry,
            config: DNSPodFixture.config(emulator),
            wrongCredentialsConfig: DNSPodFixture.config(
                emulator,
                extra: [
                    "secretIdRef": ["name": "wrong", "key": "secret-id"],
                    "secretKeyRef": ["name": "wrong", "key": "secret-key"],
                ]),
            wrongCredentialsHints: ["SecretKey", "cert-manager/wrong"],
            secrets: secrets,
            secretStrings: [DNSPodFixture.secretKey, "not-the-secret-key"],
            namespace: DNSPodFixture.namespace,
            zone: zone,
            independentRead: { name in
                let subDomain = name.relativeName(in: zone) ?? ""
                return try await emulator.dnspodRecords()
                    .filter { $0["Type"] as? String == "TXT" && $0["Domain"] as? String == "example.com" && $0["Name"] as? String == subDomain }
                    .compactMap { $0["Value"] as? String }
            },
            apiCallCount: { try await emulator.apiCallCount() },
            injectFaults: { count in try await emulator.injectFaults(count) },
            seedForeignValue: { name, value in
                let subDomain = name.relativeName(in: zone) ?? ""
                try await emulator.seed(["records": [["domain": "example.com", "subDomain": subDomain, "type": "TXT", "value": value]]])
            },
            maximumCallsPerPresent: 1,
            maximumCallsPerCleanUp: 2
        )
    }

    @Test(arguments: ProviderContract.allCases)
    func contract(_ contract: ProviderContract) async throws {
        let emulator = try await DNSPodFixture.emulator()
        try await contract.verifyOrSkip(Self.subject(emulator))
        if contract == .apiCallsPerChallenge, let calls = ContractMeasurements.shared.calls(for: "dnspod") {
            print("dnspod: a warm Present cost \(calls.present) API call(s), a warm CleanUp \(calls.cleanUp)")
        }
    }
}
