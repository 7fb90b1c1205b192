import DNS01
import OVHProvider
import ProviderKit
import TestSupport
import Testing

@Suite("OVH provider: the provider contract (against the OVH API emulator)", .serialized)
struct OVHContractTests {
    static func subject(_ emulator: EmulatorPeer, oauth2: Bool = false) throws -> ProviderContractSubject {
        var registry = ProviderRegistry()
        registry.register(OVHFixture.plugin())
        let zone = try DomainName("example.com")
        @Sendable func subDomain(_ name: DomainName) -> String {
            let relative = name.relativeName(in: zone) ?? ""
            return relative == "@" ? "" : relative
        }
        return ProviderContractSubject(
            solver: "ovh",
            registry: registry,
            config: oauth2 ? OVHFixture.oauth2Config(emulator) : OVHFixture.config(emulator),
            wrongCredentialsConfig: oauth2 ? OVHFixture.oauth2Config(emulator, secret: "wrong") : OVHFixture.config(emulator, secret: "wrong"),
            wrongCredentialsHints: oauth2 ? ["OAuth2 client", "secret cert-manager/wrong"] : ["application secret", "secret cert-manager/wrong"],
            secrets: OVHFixture.secrets(),
            secretStrings: [OVHFixture.applicationSecret, OVHFixture.consumerKey, OVHFixture.clientSecret, "not-the-ovh-secret", "not-the-client-secret"],
            namespace: OVHFixture.namespace,
            zone: zone,
            // What OVH's name servers serve: only what a refresh published.
            independentRead: { name in try await OVHFixture.values(emulator, subDomain: subDomain(name)) },
            apiCallCount: { try await emulator.apiCallCount() },
            injectFaults: { count in try await emulator.injectFaults(count) },
            seedForeignValue: { name, value in
                try await emulator.seed(["records": [["zone": "example.com", "subDomain": subDomain(name), "fieldType": "TXT", "target": value, "ttl": 60]]])
            },
            // List, create, refresh; list, read, delete, refresh.
            maximumCallsPerPresent: 3,
            maximumCallsPerCleanUp: 4
        )
    }

    @Test("with application keys ($1$ signatures)", arguments: ProviderContract.allCases)
    func contract(_ contract: ProviderContract) async throws {
        let emulator = try await EmulatorPeer("ovh_emulator.py")
        try await contract.verifyOrSkip(Self.subject(emulator))
        if contract == .apiCallsPerChallenge, let calls = ContractMeasurements.shared.calls(for: "ovh") {
            print("ovh: a warm Present costs \(calls.present) API calls, a warm CleanUp \(calls.cleanUp)")
        }
    }

    @Test("with an OAuth2 client", arguments: ProviderContract.allCases)
    func contractOAuth2(_ contract: ProviderContract) async throws {
        let emulator = try await EmulatorPeer("ovh_emulator.py")
        try await contract.verifyOrSkip(Self.subject(emulator, oauth2: true))
    }
}
