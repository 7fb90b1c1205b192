import AliDNSProvider
import DNS01
import ProviderKit
import TestSupport
import Testing

@Suite("AliDNS provider: the provider contract (against the signature-checking emulator)", .serialized)
struct AliDNSContractTests {
    static func subject(_ emulator: AliDNSEmulator) throws -> ProviderContractSubject {
        var registry = ProviderRegistry()
        registry.register(Fixture.plugin(retryPolicy: RetryPolicy(baseDelay: .milliseconds(5), maximumDelay: .milliseconds(50))))
        let secrets = StaticSecretSource([
            .init(namespace: Fixture.namespace, name: "alidns-secrets"): ["access-token": SecretValue(AliDNSEmulator.accessKeyId), "secret-key": SecretValue(AliDNSEmulator.accessKeySecret)],
            .init(namespace: Fixture.namespace, name: "wrong"): ["access-token": SecretValue(AliDNSEmulator.accessKeyId), "secret-key": SecretValue("not-the-secret")],
        ])
        return ProviderContractSubject(
            solver: "alidns",
            registry: registry,
            config: Fixture.config(emulator),
            wrongCredentialsConfig: Fixture.config(
                emulator,
                extra: [
                    "accessTokenSecretRef": ["name": "wrong", "key": "access-token"],
                    "secretKeySecretRef": ["name": "wrong", "key": "secret-key"],
                ]),
            wrongCredentialsHints: ["AccessKey"],
            secrets: secrets,
            secretStrings: [AliDNSEmulator.accessKeySecret, "not-the-secret"],
            namespace: Fixture.namespace,
            zone: try DomainName("example.com"),
            independentRead: { name in
                let rr = name.relativeName(in: try DomainName("example.com")) ?? ""
                return try await emulator.records()
                    .filter { $0["Type"] as? String == "TXT" && $0["PunyCode"] as? String == "example.com" && $0["RR"] as? String == rr }
                    .compactMap { $0["Value"] as? String }
            },
            apiCallCount: { try await emulator.admin("GET", "/__admin/state?log=0")["requestCount"] as? Int ?? 0 },
            injectFaults: { count in try await emulator.injectFaults(["throttle": (count + 1) / 2, "error5xx": count / 2]) },
            seedForeignValue: { name, value in
                let rr = name.relativeName(in: try DomainName("example.com")) ?? ""
                try await emulator.seed(["records": [["domain": "example.com", "rr": rr, "type": "TXT", "value": value]]])
            }
        )
    }

    @Test(arguments: ProviderContract.allCases)
    func contract(_ contract: ProviderContract) async throws {
        let emulator = try await AliDNSEmulator()
        try await contract.verifyOrSkip(Self.subject(emulator))
    }
}
