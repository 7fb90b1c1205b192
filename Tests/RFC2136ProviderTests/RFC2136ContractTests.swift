import DNS01
import DNSClient
import RFC2136Provider
import TestSupport
import Testing

@Suite("rfc2136 provider: the provider contract (against a real knotd)", .serialized)
struct RFC2136ContractTests {
    static func subject(_ fixture: KnotFixture) throws -> ProviderContractSubject {
        var registry = ProviderRegistry()
        registry.register(RFC2136Plugin())
        let address = fixture.knot.address
        return ProviderContractSubject(
            solver: "rfc2136",
            registry: registry,
            config: fixture.config(),
            wrongCredentialsConfig: fixture.config(secretKey: "other"),
            wrongCredentialsHints: ["BADSIG", "acme-update"],
            secrets: KnotFixture.secrets,
            secretStrings: [KnotFixture.secret, KnotFixture.otherSecret],
            namespace: KnotFixture.namespace,
            zone: try DomainName("example.com"),
            independentRead: { name in try await DNSExchange(hostAndPort: address).txtLookup(name.fqdn).values },
            seedForeignValue: { name, value in
                // Another DNS UPDATE client adding its own value (knsupdate, external-dns…).
                let challenge = Challenge(action: .present, dnsName: name, resolvedFQDN: name, key: value, resourceNamespace: KnotFixture.namespace)
                try await fixture.provider(fixture.config()).present(challenge)
            }
        )
    }

    @Test(arguments: ProviderContract.allCases)
    func contract(_ contract: ProviderContract) async throws {
        let fixture = try await KnotFixture()
        defer { fixture.stop() }
        try await contract.verifyOrSkip(Self.subject(fixture))
    }
}
