import CloudflareProvider
import DNS01
import Foundation
import Logging
import ProviderKit
import Synchronization
import TestSupport
import Testing

@Suite("Cloudflare provider against the emulator", .serialized)
struct CloudflareProviderTests {
    static let fqdn = "_acme-challenge.www.example.com"

    @Test("a warm Present is one POST; presenting again is a success (81058) that changes nothing")
    func presentIsOneCall() async throws {
        let emulator = try await CF.emulator()
        let provider = try await CF.provider(config: CF.tokenConfig(emulator))
        try await provider.present(CF.challenge(.present, Self.fqdn, "first"))
        let before = try await CF.counts(emulator)
        try await provider.present(CF.challenge(.present, Self.fqdn, "second"))
        try await provider.present(CF.challenge(.present, Self.fqdn, "second"))
        let after = try await CF.counts(emulator)
        #expect(after["dns_records.create", default: 0] - before["dns_records.create", default: 0] == 2)
        #expect(after["zones.list"] == before["zones.list"])
        #expect(after.values.reduce(0, +) - before.values.reduce(0, +) == 2)
        #expect(try await CF.storedValues(emulator, Self.fqdn).sorted() == ["first", "second"])
        let status = try await emulator.state()["statusCounts"] as? [String: [String: Int]]
        #expect(status?["dns_records.create"]?["400"] == 1)
    }

    @Test("CleanUp reads every page of records at the name, stopping at result_info.total_pages, and deletes only its own value")
    func cleanUpPages() async throws {
        let emulator = try await CF.emulator()
        try await emulator.seed(["zone": "example.com", "count": 250, "name": Self.fqdn, "type": "TXT", "content": "foreign-{i}"])
        let provider = try await CF.provider(config: CF.tokenConfig(emulator))
        try await provider.present(CF.challenge(.present, Self.fqdn, "mine"))
        #expect(try await provider.txtValues(at: DomainName(Self.fqdn), zone: nil).count == 251)
        let before = try await CF.counts(emulator)
        try await provider.cleanUp(CF.challenge(.cleanUp, Self.fqdn, "mine"))
        let after = try await CF.counts(emulator)
        // 251 records, 100 per page: three pages, no fourth (empty) one.
        #expect(after["dns_records.list", default: 0] - before["dns_records.list", default: 0] == 3)
        #expect(after["dns_records.delete", default: 0] - before["dns_records.delete", default: 0] == 1)
        let stored = try await CF.storedValues(emulator, Self.fqdn)
        #expect(stored.count == 250 && !stored.contains("mine"))
    }

    @Test("the zone is the longest zone the token sees (zone list paged and cached)")
    func longestZone() async throws {
        var config = Self.config(zones: ["example.com", "sub.example.com"] + (0..<70).map { "zone\($0).example" })
        config["records"] = []
        let emulator = try await CF.emulator(config: config)
        let provider = try await CF.provider(config: CF.tokenConfig(emulator))
        try await provider.present(CF.challenge(.present, "_acme-challenge.www.sub.example.com", "deep"))
        try await provider.present(CF.challenge(.present, "_acme-challenge.example.com", "apex"))
        let records = try await emulator.state()["records"] as? [[String: Any]] ?? []
        let zones = Dictionary(uniqueKeysWithValues: records.map { ($0["name"] as? String ?? "", $0["zone"] as? String ?? "") })
        #expect(zones["_acme-challenge.www.sub.example.com"] == "sub.example.com")
        #expect(zones["_acme-challenge.example.com"] == "example.com")
        // 72 zones, 50 per page: two pages, read once for both challenges.
        #expect(try await CF.counts(emulator)["zones.list"] == 2)
    }

    @Test("TXT content that Cloudflare stores quoted is read back and cleaned up by its value")
    func quotedContent() async throws {
        var config = Self.config(zones: ["example.com"])
        config["quoteTxtContent"] = true
        let emulator = try await CF.emulator(config: config)
        let provider = try await CF.provider(config: CF.tokenConfig(emulator))
        try await provider.present(CF.challenge(.present, Self.fqdn, "value-a"))
        try await provider.present(CF.challenge(.present, Self.fqdn, "value-a"))
        #expect(try await CF.storedValues(emulator, Self.fqdn) == ["\"value-a\""])
        #expect(try await provider.txtValues(at: DomainName(Self.fqdn), zone: nil) == ["value-a"])
        try await provider.cleanUp(CF.challenge(.cleanUp, Self.fqdn, "value-a"))
        #expect(try await CF.storedValues(emulator, Self.fqdn) == [])
    }

    @Test("the global API key with its email works like a token")
    func globalKey() async throws {
        let emulator = try await CF.emulator()
        let provider = try await CF.provider(config: CF.keyConfig(emulator))
        try await provider.present(CF.challenge(.present, Self.fqdn, "by-key"))
        #expect(try await provider.txtValues(at: DomainName(Self.fqdn), zone: nil) == ["by-key"])
        let principals = (try await emulator.admin("GET", "/__admin/state")["requests"] as? [[String: Any]] ?? []).compactMap { $0["principal"] as? String }
        #expect(Set(principals) == ["key:dns01@example.com"])
    }

    @Test("a 429 is retried after the Retry-After Cloudflare sends")
    func retryAfter() async throws {
        let emulator = try await CF.emulator()
        let delays = Mutex<[Duration]>([])
        let policy = RetryPolicy(baseDelay: .milliseconds(1), maximumDelay: .milliseconds(5), deadline: .seconds(20), sleep: { delay in delays.withLock { $0.append(delay) } })
        let provider = try await CF.provider(CF.plugin(retryPolicy: policy), config: CF.tokenConfig(emulator))
        try await emulator.admin("POST", "/__admin/faults", ["throttle": 1, "retryAfterSeconds": 7])
        try await provider.present(CF.challenge(.present, Self.fqdn, "after-wait"))
        #expect(delays.withLock { $0 } == [.seconds(7)])
        #expect(try await CF.storedValues(emulator, Self.fqdn) == ["after-wait"])
    }

    @Test("a Retry-After beyond the challenge's retry deadline fails at once, with a stable message")
    func retryAfterTooLong() async throws {
        let emulator = try await CF.emulator()
        let delays = Mutex<[Duration]>([])
        let policy = RetryPolicy(deadline: .seconds(20), sleep: { delay in delays.withLock { $0.append(delay) } })
        let provider = try await CF.provider(CF.plugin(retryPolicy: policy), config: CF.tokenConfig(emulator))
        try await emulator.admin("POST", "/__admin/faults", ["throttle": 1, "retryAfterSeconds": 300])
        let error = await #expect(throws: DNS01Error.self) { try await provider.present(CF.challenge(.present, Self.fqdn, "v")) }
        #expect(delays.withLock { $0 }.isEmpty)
        #expect(error?.code == .providerUnavailable)
        #expect(error?.message.hasPrefix("Cloudflare kept rate-limiting requests to list the zones (971 Please wait and consider throttling your request speed) through every retry") == true, "\(error?.message ?? "")")
    }

    @Test(
        "refusals say what to fix and name the config field",
        arguments: [
            (CF.unknownToken, "Cloudflare does not accept the API token in secret cert-manager/cloudflare-api-token-secret (apiTokenSecretRef) (9109 Invalid access token)"),
            (
                "not-a-token",
                "Cloudflare refused the format of the API token in secret cert-manager/cloudflare-api-token-secret (apiTokenSecretRef) (6111 Invalid format for Authorization header; 6003 Invalid request headers): the Secret must hold the API token itself"
            ),
            (
                CF.readOnlyToken,
                "Cloudflare refused to create a TXT record at _acme-challenge.www.example.com with the API token in secret cert-manager/cloudflare-api-token-secret (apiTokenSecretRef) (10000 Authentication error): an API token needs the Zone:Read and DNS:Edit permissions"
            ),
        ])
    func refusals(token: String, expected: String) async throws {
        let emulator = try await CF.emulator()
        let provider = try await CF.provider(config: CF.tokenConfig(emulator), context: CF.context(secrets: CF.secrets(token: token)))
        let error = await #expect(throws: DNS01Error.self) { try await provider.present(CF.challenge(.present, Self.fqdn, "v")) }
        #expect(error?.message.hasPrefix(expected) == true, "\(error?.message ?? "")")
        #expect(error?.message.contains(token) == false)
    }

    @Test("a zone the token cannot see is reported as such")
    func zoneNotVisible() async throws {
        let emulator = try await CF.emulator()
        let provider = try await CF.provider(config: CF.tokenConfig(emulator), context: CF.context(secrets: CF.secrets(token: CF.exampleComOnlyToken)))
        let error = await #expect(throws: DNS01Error.self) { try await provider.present(CF.challenge(.present, "_acme-challenge.www.example.org", "v")) }
        #expect(error?.code == .zoneNotFound)
        #expect(
            error?.message
                == "no zone that the API token in secret cert-manager/cloudflare-api-token-secret (apiTokenSecretRef) can see holds _acme-challenge.www.example.org (it sees 1 zones): add the zone to Cloudflare, or give an API token with Zone:Read on it"
        )
    }

    @Test("a wrong email with the global key is refused, naming email")
    func wrongEmail() async throws {
        let emulator = try await CF.emulator()
        let provider = try await CF.provider(config: CF.keyConfig(emulator, email: "someone@example.com"))
        let error = await #expect(throws: DNS01Error.self) { try await provider.present(CF.challenge(.present, Self.fqdn, "v")) }
        #expect(
            error?.message.hasPrefix("Cloudflare does not accept the global API key and email (9103 Unknown X-Auth-Key or X-Auth-Email): check email and the global API key in secret cert-manager/cloudflare-api-key-secret (apiKeySecretRef)") == true,
            "\(error?.message ?? "")")
    }

    @Test("a missing Secret or key names the field that references it")
    func missingSecret() async throws {
        let plugin = CF.plugin()
        let configuration = try plugin.decodeConfiguration(["apiTokenSecretRef": ["name": "absent", "key": "api-token"]], at: .root.appending("cloudflare"), source: .operatorConfig)
        let error = await #expect(throws: DNS01Error.self) { try await plugin.makeProvider(for: configuration, context: CF.context()) }
        #expect(error?.code == .secretNotFound)
        #expect(error?.message == "cloudflare.apiTokenSecretRef: secret \"absent\" not found in namespace \"cert-manager\" (in-memory secrets)")
        let other = try plugin.decodeConfiguration(["apiTokenSecretRef": ["name": "cloudflare-api-token-secret", "key": "token"]], at: .root, source: .operatorConfig)
        let keyError = await #expect(throws: DNS01Error.self) { try await plugin.makeProvider(for: other, context: CF.context()) }
        #expect(keyError?.message == "apiTokenSecretRef: secret cert-manager/cloudflare-api-token-secret has no key \"token\" (it has: api-token)")
    }

    @Test("a token with a line break inside is refused before any request, without revealing it")
    func controlCharacters() async throws {
        let secret = "cf-test-token-all-zones\ndns-edit-0000000"
        let error = await #expect(throws: DNS01Error.self) {
            _ = try await CF.provider(config: ["apiTokenSecretRef": ["name": "cloudflare-api-token-secret", "key": "api-token"]], context: CF.context(secrets: CF.secrets(token: secret)))
        }
        #expect(error?.message == "apiTokenSecretRef: the Cloudflare API token in secret cert-manager/cloudflare-api-token-secret key \"api-token\" contains a space, line break or other control character; store the API token alone")
        // A trailing newline (echo | base64) is fine.
        _ = try await CF.provider(config: ["apiTokenSecretRef": ["name": "cloudflare-api-token-secret", "key": "api-token"]], context: CF.context(secrets: CF.secrets(token: CF.token + "\n")))
    }

    @Test("an unreachable API is reported in plain words")
    func unreachable() async throws {
        let provider = try await CF.provider(CF.plugin(retryPolicy: RetryPolicy(maximumAttempts: 1)), config: ["apiTokenSecretRef": ["name": "cloudflare-api-token-secret", "key": "api-token"], "endpoint": "http://127.0.0.1:9/client/v4"])
        let error = await #expect(throws: DNS01Error.self) { try await provider.present(CF.challenge(.present, Self.fqdn, "v")) }
        #expect(error?.code == .providerUnavailable)
        #expect(error?.message.hasPrefix("cannot reach the Cloudflare API at http://127.0.0.1:9/client/v4: connection refused; check the endpoint's host and port") == true, "\(String(describing: error?.message))")
    }

    /// The emulator's default config with other zones.
    static func config(zones: [String]) -> [String: Any] {
        [
            "zones": zones.map { ["name": $0] },
            "tokens": [
                ["token": CF.token, "zones": "*", "permissions": ["zone:read", "dns:edit"]],
                ["token": CF.exampleComOnlyToken, "zones": ["example.com"], "permissions": ["zone:read", "dns:edit"]],
            ],
            "users": [["email": CF.email, "apiKey": CF.apiKey, "zones": "*"]],
            "records": [],
        ]
    }
}
