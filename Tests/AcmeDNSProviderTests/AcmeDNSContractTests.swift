import AcmeDNSProvider
import DNS01
import Foundation
import ProviderKit
import TestSupport
import Testing

/// The contract suite against acme-dns. acme-dns keeps two values per account, cannot delete
/// and cannot be read through its API (the descriptor's `limitations`), so the cases that need
/// any of that are reported as not applicable with the reason; the others run. Each fresh
/// domain gets its own account (registered with the emulator), values are ACME-shaped (acme-dns
/// refuses anything else), and values are read from the emulator's own state.
@Suite("acme-dns provider: the provider contract (against the acme-dns emulator)", .serialized)
struct AcmeDNSContractTests {
    static func subject(_ emulator: EmulatorPeer, accounts: RegisteredAccounts) throws -> ProviderContractSubject {
        var registry = ProviderRegistry()
        registry.register(AD.plugin())
        return ProviderContractSubject(
            solver: "acmeDNS",
            registry: registry,
            config: AD.config(emulator),
            wrongCredentialsConfig: AD.config(emulator, secret: "acme-dns-wrong"),
            wrongCredentialsHints: ["accountSecretRef", "password"],
            secrets: accounts,
            secretStrings: ["wrongPassword_000000000000000000000000000"],
            namespace: AD.namespace,
            zone: try DomainName("example.com"),
            independentRead: { name in
                guard let domain = name.parent, let subdomain = accounts.subdomain(of: domain.name) else { return [] }
                return try await AD.values(emulator, subdomain: subdomain)
            },
            readsBackThroughProvider: false,
            apiCallCount: { try await emulator.apiCallCount() - (try await AD.counts(emulator)["register"] ?? 0) },
            injectFaults: { count in try await emulator.injectFaults(count) },
            valuesMustBeACMEShaped: true,
            prepareName: { name in
                let account = try await emulator.admin("POST", "/register")
                accounts.add(domain: name.parent?.name ?? name.name, account: account)
            }
        )
    }

    @Test(arguments: ProviderContract.allCases)
    func contract(_ contract: ProviderContract) async throws {
        let emulator = try await AD.emulator()
        try await contract.verifyOrSkip(Self.subject(emulator, accounts: RegisteredAccounts()))
        if contract == .apiCallsPerChallenge, let calls = ContractMeasurements.shared.calls(for: "acmeDNS") {
            print("acmeDNS: warm Present \(calls.present) API calls, warm CleanUp \(calls.cleanUp)")
            #expect(calls.present == 1 && calls.cleanUp == 0)
        }
    }

    @Test("the cases acme-dns cannot hold are the ones its limitations name", arguments: ProviderContract.allCases)
    func notApplicable(_ contract: ProviderContract) async throws {
        let limitations = AcmeDNSPlugin.descriptor.limitations
        #expect(limitations == [.cannotReadBack, .cannotRemoveValues, .keepsTwoValuesOnly])
        let expected: Set<ProviderContract> = [.wrongCredentialsFailClearly, .apiCallsPerChallenge]
        var registry = ProviderRegistry()
        registry.register(AD.plugin())
        let subject = ProviderContractSubject(solver: "acmeDNS", registry: registry, config: ["host": "http://127.0.0.1:9", "accountSecretRef": ["name": "a", "key": "b"]], zone: try DomainName("example.com"))
        do {
            try await contract.verify(subject)
            Issue.record("\(contract) passed against nothing")
        } catch let skipped as ProviderContract.NotApplicable {
            // This bare subject lacks a peer, so the applicable cases are skipped too, but for
            // that reason, never for a limitation.
            let byLimitation = limitations.contains { $0.reason == skipped.description }
            #expect(byLimitation == !expected.contains(contract), "\(contract): \(skipped)")
        } catch {
            #expect(expected.contains(contract), "\(contract): \(error)")
        }
    }
}
