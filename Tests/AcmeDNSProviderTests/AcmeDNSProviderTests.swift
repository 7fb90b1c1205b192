import AcmeDNSProvider
import DNS01
import Foundation
import ProviderKit
import Synchronization
import TestSupport
import Testing

@Suite("acme-dns provider against the emulator", .serialized)
struct AcmeDNSProviderTests {
    static func accounts(_ domains: [String: [String: Any]] = ["example.com": AD.account]) throws -> StaticSecretSource {
        AD.secrets(try AD.json(domains))
    }

    @Test("Present updates the account of the challenge's domain; an apex and a wildcard value coexist")
    func presentUpdates() async throws {
        let emulator = try await AD.emulator()
        let provider = try await AD.provider(config: AD.config(emulator), secrets: try Self.accounts())
        try await provider.present(AD.challenge(.present, domain: "example.com", AD.value("apex")))
        try await emulator.admin("POST", "/__admin/clock", ["offsetSeconds": 2])
        // The CLI passes wildcard domains with their `*.`; cert-manager without it. Both find example.com.
        try await provider.present(AD.challenge(.present, domain: "*.example.com", AD.value("wildcard")))
        #expect(Set(try await AD.values(emulator)) == [AD.value("apex"), AD.value("wildcard")])
        #expect(try await AD.counts(emulator)["update"] == 2)
    }

    @Test("a third value evicts the oldest, as acme-dns does: the descriptor says it keeps two")
    func keepsTwo() async throws {
        let emulator = try await AD.emulator()
        let provider = try await AD.provider(config: AD.config(emulator), secrets: try Self.accounts())
        for (offset, label) in ["one", "two", "three"].enumerated() {
            try await emulator.admin("POST", "/__admin/clock", ["offsetSeconds": offset * 2])
            try await provider.present(AD.challenge(.present, domain: "example.com", AD.value(label)))
        }
        #expect(Set(try await AD.values(emulator)) == [AD.value("two"), AD.value("three")])
        #expect(AcmeDNSPlugin.descriptor.limitations.contains(.keepsTwoValuesOnly))
    }

    @Test("CleanUp succeeds without any API call and changes nothing; it still needs the domain's account")
    func cleanUpIsNoOp() async throws {
        let emulator = try await AD.emulator()
        let provider = try await AD.provider(config: AD.config(emulator), secrets: try Self.accounts())
        try await provider.present(AD.challenge(.present, domain: "example.com", AD.value("kept")))
        let before = try await emulator.apiCallCount()
        try await provider.cleanUp(AD.challenge(.cleanUp, domain: "example.com", AD.value("kept")))
        #expect(try await emulator.apiCallCount() == before)
        #expect(try await AD.values(emulator) == [AD.value("kept")])
        let error = await #expect(throws: DNS01Error.self) { try await provider.cleanUp(AD.challenge(.cleanUp, domain: "example.net", AD.value("kept"))) }
        #expect(error?.message.hasPrefix("the accounts in secret cert-manager/acme-dns key \"acmedns.json\" (acmeDNS.accountSecretRef) hold no account for example.net (they have: example.com)") == true, "\(error?.message ?? "")")
    }

    @Test("reading back is refused with the way to check instead")
    func noReadBack() async throws {
        let emulator = try await AD.emulator()
        let provider = try await AD.provider(config: AD.config(emulator), secrets: try Self.accounts())
        await #expect(throws: DNS01Error(.providerRejected, "acme-dns has no API to read TXT values back: check through DNS instead (check --nameserver with the acme-dns server's DNS address)")) {
            _ = try await provider.txtValues(at: DomainName("_acme-challenge.example.com"), zone: nil)
        }
    }

    @Test("account keys are matched as DNS names (case, trailing dot)")
    func keyMatching() async throws {
        let emulator = try await AD.emulator()
        let provider = try await AD.provider(config: AD.config(emulator), secrets: try Self.accounts(["Example.COM.": AD.account]))
        try await provider.present(AD.challenge(.present, domain: "example.com", AD.value("matched")))
        #expect(try await AD.values(emulator) == [AD.value("matched")])
    }

    @Test(
        "refusals say what to fix and name the accounts Secret, never a password",
        arguments: [
            // acme-dns answers every refusal alike (401 forbidden), so the message names both causes.
            (
                "wrong password",
                "acme-dns at {host} refused the account for example.com in the accounts in secret cert-manager/acme-dns key \"acmedns.json\" (acmeDNS.accountSecretRef) (HTTP 401 forbidden): its username, password and subdomain must be those /register answered, and this webhook's address must be within the account's allowfrom"
            ),
            (
                "allowfrom",
                "acme-dns at {host} refused the account for example.com in the accounts in secret cert-manager/acme-dns key \"acmedns.json\" (acmeDNS.accountSecretRef) (HTTP 401 forbidden): its username, password and subdomain must be those /register answered, and this webhook's address must be within the account's allowfrom"
            ),
        ])
    func refusals(kind: String, expected: String) async throws {
        let emulator = try await AD.emulator()
        var account = kind == "allowfrom" ? AD.restrictedAccount : AD.account
        if kind == "wrong password" { account["password"] = "wrongPassword_000000000000000000000000000" }
        let provider = try await AD.provider(config: AD.config(emulator), secrets: try Self.accounts(["example.com": account]))
        let error = await #expect(throws: DNS01Error.self) { try await provider.present(AD.challenge(.present, domain: "example.com", AD.value("v"))) }
        #expect(error?.code == .credentialsUnavailable)
        #expect(error?.message == expected.replacingOccurrences(of: "{host}", with: emulator.baseURL))
        #expect(error?.message.contains(account["password"] as? String ?? "?") == false)
    }

    @Test("a value that is not ACME-shaped is refused as the challenge's fault")
    func badTXT() async throws {
        let emulator = try await AD.emulator()
        let provider = try await AD.provider(config: AD.config(emulator), secrets: try Self.accounts())
        let error = await #expect(throws: DNS01Error.self) { try await provider.present(AD.challenge(.present, domain: "example.com", "short")) }
        #expect(error?.code == .invalidChallenge)
        #expect(error?.message == "acme-dns at \(emulator.baseURL) refused the value for example.com (HTTP 400 bad_txt): acme-dns accepts only ACME DNS-01 values (43 base64url characters)")
    }

    @Test("a proxy's 429 is retried after its Retry-After, and acme-dns's db_error like any 5xx")
    func retries() async throws {
        let emulator = try await AD.emulator()
        let delays = Mutex<[Duration]>([])
        let policy = RetryPolicy(baseDelay: .milliseconds(1), maximumDelay: .milliseconds(1), sleep: { delay in delays.withLock { $0.append(delay) } })
        let provider = try await AD.provider(AD.plugin(retryPolicy: policy), config: AD.config(emulator), secrets: try Self.accounts())
        try await emulator.admin("POST", "/__admin/faults", ["throttle": 1, "retryAfterSeconds": 3, "error5xx": 2, "error5xxStatus": 500])
        try await provider.present(AD.challenge(.present, domain: "example.com", AD.value("after-faults")))
        #expect(delays.withLock { $0 }.first == .seconds(3))
        #expect(delays.withLock { $0 }.count == 3)
        #expect(try await AD.values(emulator) == [AD.value("after-faults")])
    }

    @Test(
        "mistakes in the accounts JSON and a missing Secret name what to fix",
        arguments: [
            (
                "not json",
                "the accounts in secret cert-manager/acme-dns key \"acmedns.json\" (acmeDNS.accountSecretRef) are not an acme-dns accounts JSON document (an object mapping each domain to {username, password, fulldomain, subdomain}, as acme-dns's /register answers): it is not valid JSON"
            ),
            (
                #"["example.com"]"#,
                "the accounts in secret cert-manager/acme-dns key \"acmedns.json\" (acmeDNS.accountSecretRef) are not an acme-dns accounts JSON document (an object mapping each domain to {username, password, fulldomain, subdomain}, as acme-dns's /register answers): it is not a JSON object of accounts"
            ),
            (
                #"{"example.com": {"username": "u", "subdomain": "s"}}"#,
                "the accounts in secret cert-manager/acme-dns key \"acmedns.json\" (acmeDNS.accountSecretRef) are not an acme-dns accounts JSON document (an object mapping each domain to {username, password, fulldomain, subdomain}, as acme-dns's /register answers): the account \"example.com\" has no \"password\""
            ),
        ])
    func accountsJSON(text: String, expected: String) async throws {
        let error = await #expect(throws: DNS01Error.self) { _ = try await AD.provider(config: ["host": "http://127.0.0.1:9", "accountSecretRef": ["name": "acme-dns", "key": "acmedns.json"]], secrets: AD.secrets(text)) }
        #expect(error?.message == expected)
    }

    @Test("a missing Secret names the field that references it")
    func missingSecret() async throws {
        let error = await #expect(throws: DNS01Error.self) { _ = try await AD.provider(config: ["host": "http://127.0.0.1:9", "accountSecretRef": ["name": "absent", "key": "acmedns.json"]], secrets: AD.secrets("{}")) }
        #expect(error?.message == "acmeDNS.accountSecretRef: secret \"absent\" not found in namespace \"cert-manager\" (in-memory secrets)")
    }
}
