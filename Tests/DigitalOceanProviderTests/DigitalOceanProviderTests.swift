import DNS01
import DigitalOceanProvider
import Foundation
import ProviderKit
import Synchronization
import TestSupport
import Testing

@Suite("DigitalOcean provider against the emulator", .serialized)
struct DigitalOceanProviderTests {
    static let fqdn = "_acme-challenge.www.example.com"

    @Test("Present lists the name and adds its value once, with the name fully qualified as cert-manager sends it")
    func presentOnce() async throws {
        let emulator = try await DO.emulator()
        let provider = try await DO.provider(config: DO.config(emulator))
        try await provider.present(DO.challenge(.present, Self.fqdn, "value-a"))
        try await provider.present(DO.challenge(.present, Self.fqdn, "value-a"))
        #expect(try await DO.storedValues(emulator, Self.fqdn) == ["value-a"])
        let records = try await emulator.state()["records"] as? [[String: Any]] ?? []
        let stored = try #require(records.first { $0["data"] as? String == "value-a" })
        #expect(stored["name"] as? String == "_acme-challenge.www")
        #expect(stored["ttl"] as? Int == 60)
        #expect(try await DO.counts(emulator)["records.create"] == 1)
    }

    @Test("every page of records at the name is read (200 a page, no page past the last), and CleanUp deletes only its own value")
    func paging() async throws {
        let emulator = try await DO.emulator()
        try await emulator.seed(["domain": "example.com", "count": 450, "name": "_acme-challenge.www", "data": "foreign-{i}"])
        let provider = try await DO.provider(config: DO.config(emulator))
        try await provider.present(DO.challenge(.present, Self.fqdn, "mine"))
        let before = try await DO.counts(emulator)
        try await provider.cleanUp(DO.challenge(.cleanUp, Self.fqdn, "mine"))
        let after = try await DO.counts(emulator)
        // 451 records: three pages of 200.
        #expect(after["records.list", default: 0] - before["records.list", default: 0] == 3)
        #expect(after["records.delete", default: 0] - before["records.delete", default: 0] == 1)
        let stored = try await DO.storedValues(emulator, Self.fqdn)
        #expect(stored.count == 450 && !stored.contains("mine"))
    }

    @Test("the domain is the account's longest domain holding the name (domain list paged and cached)")
    func longestDomain() async throws {
        let domains = ["example.com", "sub.example.com"] + (0..<210).map { "d\($0).example" }
        let emulator = try await DO.emulator(config: ["domains": domains, "tokens": [["token": DO.token, "scopes": ["read", "write"]]]])
        let provider = try await DO.provider(config: DO.config(emulator))
        try await provider.present(DO.challenge(.present, "_acme-challenge.www.sub.example.com", "deep"))
        try await provider.present(DO.challenge(.present, "_acme-challenge.example.com", "apex"))
        let records = (try await emulator.state()["records"] as? [[String: Any]] ?? []).filter { $0["type"] as? String == "TXT" }
        #expect(Set(records.map { "\($0["domain"] as? String ?? "") \($0["name"] as? String ?? "")" }) == ["sub.example.com _acme-challenge.www", "example.com _acme-challenge"])
        #expect(try await DO.counts(emulator)["domains.list"] == 2)
    }

    @Test("a 429 without Retry-After waits until ratelimit-reset")
    func rateLimitReset() async throws {
        let emulator = try await DO.emulator()
        let now = 1_900_000_000.0
        try await emulator.admin("POST", "/__admin/clock", ["now": now])
        let delays = Mutex<[Duration]>([])
        let policy = RetryPolicy(baseDelay: .milliseconds(1), maximumDelay: .milliseconds(5), deadline: .seconds(20), sleep: { delay in delays.withLock { $0.append(delay) } })
        let plugin = DigitalOceanPlugin(retryPolicy: policy, epochSeconds: { now })
        let provider = try await DO.provider(plugin, config: DO.config(emulator))
        try await emulator.admin("POST", "/__admin/faults", ["throttle": 1, "retryAfterSeconds": 7])
        try await provider.present(DO.challenge(.present, Self.fqdn, "after-reset"))
        #expect(delays.withLock { $0 } == [.seconds(7)])
        let log = try await emulator.admin("GET", "/__admin/state")["requests"] as? [[String: Any]] ?? []
        #expect(log.first?["status"] as? Int == 429)
        #expect(try await DO.storedValues(emulator, Self.fqdn) == ["after-reset"])
    }

    @Test(
        "refusals say what to fix and name the config field",
        arguments: [
            (DO.unknownToken, "DigitalOcean does not accept the token in secret cert-manager/digitalocean-dns (tokenSecretRef) (HTTP 401 unauthorized: Unable to authenticate you)"),
            (
                DO.readOnlyToken,
                "DigitalOcean refused to create a TXT record at _acme-challenge.www.example.com with the token in secret cert-manager/digitalocean-dns (tokenSecretRef) (HTTP 403 forbidden: You do not have access for the attempted action.): the token needs the write scope"
            ),
        ])
    func refusals(token: String, expected: String) async throws {
        let emulator = try await DO.emulator()
        let provider = try await DO.provider(config: DO.config(emulator), context: DO.context(secrets: DO.secrets(token: token)))
        let error = await #expect(throws: DNS01Error.self) { try await provider.present(DO.challenge(.present, Self.fqdn, "v")) }
        #expect(error?.message.hasPrefix(expected) == true, "\(error?.message ?? "")")
        #expect(error?.message.contains("request_id") == false)
    }

    @Test("a missing Secret names the field that references it; the token is trimmed as cert-manager does")
    func secrets() async throws {
        let plugin = DO.plugin()
        let configuration = try plugin.decodeConfiguration(["tokenSecretRef": ["name": "absent", "key": "access-token"]], at: .root.appending("digitalocean"), source: .operatorConfig)
        let error = await #expect(throws: DNS01Error.self) { try await plugin.makeProvider(for: configuration, context: DO.context()) }
        #expect(error?.message == "digitalocean.tokenSecretRef: secret \"absent\" not found in namespace \"cert-manager\" (in-memory secrets)")
        let emulator = try await DO.emulator()
        let provider = try await DO.provider(config: DO.config(emulator), context: DO.context(secrets: DO.secrets(token: " \(DO.token)\n")))
        try await provider.present(DO.challenge(.present, Self.fqdn, "trimmed"))
    }

    @Test("a domain the account does not hold is a zone error")
    func noDomain() async throws {
        let emulator = try await DO.emulator()
        let provider = try await DO.provider(config: DO.config(emulator))
        let error = await #expect(throws: DNS01Error.self) { try await provider.present(DO.challenge(.present, "_acme-challenge.www.example.net", "v")) }
        #expect(error?.code == .zoneNotFound)
        #expect(
            error?.message
                == "no domain of the DigitalOcean account of the token in secret cert-manager/digitalocean-dns (tokenSecretRef) holds _acme-challenge.www.example.net (the account has 2 domains): add the domain under Networking → Domains, or use that account's token"
        )
    }
}
