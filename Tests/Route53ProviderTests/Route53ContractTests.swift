import DNS01
import Route53Emulator
import Route53Provider
import TestSupport
import Testing

@Suite("Route53 provider: the provider contract (against the Route53 model, signatures checked)")
struct Route53ContractTests {
    static func subject() throws -> ProviderContractSubject {
        var options = Route53Emulator.Options()
        options.requestsPerSecond = nil
        options.credentials = ["AKIDTEST": "test-secret"]
        let emulator = Route53Emulator(options: options)
        let zone = emulator.addZone("example.com")
        var registry = ProviderRegistry()
        registry.register(R53.plugin(emulator))
        let secrets = StaticSecretSource([
            .init(namespace: R53.namespace, name: "aws"): ["access-key-id": SecretValue("AKIDTEST"), "secret-access-key": SecretValue("test-secret")],
            .init(namespace: R53.namespace, name: "wrong"): ["access-key-id": SecretValue("AKIDTEST"), "secret-access-key": SecretValue("not-the-secret")],
        ])
        return ProviderContractSubject(
            solver: "route53",
            registry: registry,
            config: R53.config(),
            wrongCredentialsConfig: R53.config([
                "accessKeyIDSecretRef": ["name": "wrong", "key": "access-key-id"],
                "secretAccessKeySecretRef": ["name": "wrong", "key": "secret-access-key"],
            ]),
            wrongCredentialsHints: ["SignatureDoesNotMatch"],
            secrets: secrets,
            secretStrings: ["test-secret", "not-the-secret"],
            namespace: R53.namespace,
            zone: try DomainName("example.com"),
            independentRead: { name in emulator.txtValues(at: name.fqdn, inZone: zone).map(TXTRecord.unquoted) },
            apiCallCount: { emulator.requests.count },
            injectFaults: { count in emulator.failNext(count) },
            seedForeignValue: { name, value in
                emulator.put(.init(name: name.fqdn, setIdentifier: "external-dns", multiValue: true, ttl: 60, values: [TXTRecord.quoted(value)]), inZone: zone)
            },
            // A Present is one ChangeResourceRecordSets; a CleanUp too (Route53's own batching
            // can make them cheaper under load).
            maximumCallsPerPresent: 1,
            maximumCallsPerCleanUp: 1
        )
    }

    @Test(arguments: ProviderContract.allCases)
    func contract(_ contract: ProviderContract) async throws {
        try await contract.verifyOrSkip(Self.subject())
    }
}
