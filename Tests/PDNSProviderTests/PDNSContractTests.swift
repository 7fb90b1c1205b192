import DNS01
import PDNSProvider
import ProviderKit
import TestSupport
import Testing

@Suite("PowerDNS provider: the provider contract (against a real pdns_server)", .serialized)
struct PDNSContractTests {
    static func subject(_ fixture: PDNSFixture) throws -> ProviderContractSubject {
        var registry = ProviderRegistry()
        registry.register(fixture.plugin())
        let transport = fixture.transport
        return ProviderContractSubject(
            solver: "pdns",
            registry: registry,
            config: fixture.config(),
            wrongCredentialsConfig: fixture.config(secret: "wrong"),
            wrongCredentialsHints: ["API key", "secret cert-manager/wrong"],
            secrets: PDNSFixture.secrets(),
            secretStrings: [PDNSFixture.apiKey, "not-the-pdns-key"],
            namespace: PDNSFixture.namespace,
            zone: try DomainName("example.com"),
            // Through DNS, from the same server: what resolvers would be told.
            independentRead: { name in try await fixture.dnsValues(name) },
            // pdns_server keeps no per-client request count: the provider's own requests are
            // counted on their way to it.
            apiCallCount: { transport.count },
            // pdns_server never throttles: a test transport in front of it answers 429 or 503.
            injectFaults: { count in transport.injectFaults(count) },
            // Another tool writing the zone directly (pdnsutil, not the API).
            seedForeignValue: { name, value in
                try await fixture.server.addRecord(zone: "example.com", name: name.relativeName(in: DomainName("example.com")) ?? "@", type: "TXT", content: TXTRecord.quoted(value))
            },
            // Debian's 4.7 has only REPLACE: read, replace, read again to verify.
            maximumCallsPerPresent: 3,
            maximumCallsPerCleanUp: 3
        )
    }

    @Test(arguments: ProviderContract.allCases)
    func contract(_ contract: ProviderContract) async throws {
        let fixture = try await PDNSFixture()
        defer { fixture.server.stop() }
        try await contract.verifyOrSkip(Self.subject(fixture))
        if contract == .apiCallsPerChallenge, let calls = ContractMeasurements.shared.calls(for: "pdns") {
            print("pdns \(fixture.server.version): a warm Present costs \(calls.present) API calls, a warm CleanUp \(calls.cleanUp)")
        }
    }
}
