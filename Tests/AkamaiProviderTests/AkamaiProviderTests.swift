import AkamaiProvider
import DNS01
import Foundation
import Logging
import ProviderKit
import Synchronization
import TestSupport
import Testing

@Suite("Akamai Edge DNS provider against the emulator", .serialized)
struct AkamaiProviderTests {
    static let fqdn = "_acme-challenge.www.example.com"

    @Test("a new name gets a set by POST (201, TTL 300, quoted rdata); its last value goes with the set (204)")
    func createAndDelete() async throws {
        let emulator = try await AK.emulator()
        let provider = try await AK.provider(config: AK.config(emulator))
        try await provider.present(AK.challenge(.present, Self.fqdn, "value-a"))
        let set = try #require(try await AK.storedSet(emulator, Self.fqdn))
        #expect(set["rdata"] as? [String] == ["\"value-a\""])
        #expect(set["ttl"] as? Int == 300)
        #expect(try await provider.txtValues(at: DomainName(Self.fqdn), zone: nil) == ["value-a"])
        try await provider.cleanUp(AK.challenge(.cleanUp, Self.fqdn, "value-a"))
        #expect(try await AK.storedSet(emulator, Self.fqdn) == nil)
        let methods = try await AK.writes(emulator).map { $0["method"] as? String ?? "" }
        #expect(methods == ["POST", "DELETE"])
    }

    @Test("joining a set keeps its other values and TTL, and is read back; leaving it leaves the others")
    func joinAndLeave() async throws {
        let emulator = try await AK.emulator()
        try await emulator.seed(["recordsets": [["zone": "example.com", "name": "_acme-challenge.www.example.com", "type": "TXT", "ttl": 900, "rdata": ["foreign"]]]])
        let provider = try await AK.provider(config: AK.config(emulator))
        let before = try await AK.counts(emulator)
        try await provider.present(AK.challenge(.present, Self.fqdn, "mine"))
        let after = try await AK.counts(emulator)
        #expect(after["recordset.get", default: 0] - before["recordset.get", default: 0] == 2)
        #expect(after["recordset.replace", default: 0] - before["recordset.replace", default: 0] == 1)
        let set = try #require(try await AK.storedSet(emulator, Self.fqdn))
        #expect(set["rdata"] as? [String] == ["\"foreign\"", "\"mine\""])
        #expect(set["ttl"] as? Int == 900)
        try await provider.cleanUp(AK.challenge(.cleanUp, Self.fqdn, "mine"))
        #expect(try await AK.storedValues(emulator, Self.fqdn) == ["foreign"])
    }

    @Test("an apex and a wildcard challenge at once in one process: both values kept, no write from a stale read")
    func concurrentInOneProcess() async throws {
        let emulator = try await AK.emulator()
        try await emulator.seed(["recordsets": [["zone": "example.com", "name": "_acme-challenge.www.example.com", "type": "TXT", "ttl": 300, "rdata": ["foreign"]]]])
        let provider = try await AK.provider(config: AK.config(emulator))
        // Slow writes widen the window a lost update needs.
        try await emulator.admin("POST", "/__admin/faults", ["delayMs": 150, "methods": ["PUT"]])
        async let apex: Void = provider.present(AK.challenge(.present, Self.fqdn, "apex"))
        async let wildcard: Void = provider.present(AK.challenge(.present, Self.fqdn, "wildcard"))
        _ = try await (apex, wildcard)
        #expect(Set(try await AK.storedValues(emulator, Self.fqdn)) == ["foreign", "apex", "wildcard"])
        #expect(try await AK.writes(emulator).allSatisfy { $0["staleRead"] as? Bool != true })
    }

    @Test("a value dropped by another replica's write between the replace and its read-back is written again")
    func repairsAnotherReplicasOverwrite() async throws {
        let emulator = try await AK.emulator()
        try await emulator.seed(["recordsets": [["zone": "example.com", "name": "_acme-challenge.www.example.com", "type": "TXT", "ttl": 300, "rdata": ["foreign"]]]])
        let interfered = Mutex(false)
        // Right after this replica's first PUT is answered, "another replica" writes the set
        // it read before that PUT: this replica's value is gone.
        let transport = HookTransport(inner: AsyncHTTPClientTransport()) { request, response in
            guard request.method == "PUT", response.status == 200, !interfered.withLock({ $0 }) else { return }
            interfered.withLock { $0 = true }
            try await emulator.seed(["recordsets": [["zone": "example.com", "name": "_acme-challenge.www.example.com", "type": "TXT", "ttl": 300, "rdata": ["foreign", "other-replica"]]]])
        }
        let provider = try await AK.provider(AK.plugin(transport: transport), config: AK.config(emulator))
        try await provider.present(AK.challenge(.present, Self.fqdn, "mine"))
        #expect(try await AK.storedValues(emulator, Self.fqdn) == ["foreign", "other-replica", "mine"])
        #expect(try await AK.writes(emulator).filter { $0["method"] as? String == "PUT" }.count == 2)
    }

    @Test("a value that another replica's write puts back after its removal is removed again")
    func repairsResurrection() async throws {
        let emulator = try await AK.emulator()
        try await emulator.seed(["recordsets": [["zone": "example.com", "name": "_acme-challenge.www.example.com", "type": "TXT", "ttl": 300, "rdata": ["foreign", "mine"]]]])
        let interfered = Mutex(false)
        let transport = HookTransport(inner: AsyncHTTPClientTransport()) { request, response in
            guard request.method == "PUT", response.status == 200, !interfered.withLock({ $0 }) else { return }
            interfered.withLock { $0 = true }
            try await emulator.seed(["recordsets": [["zone": "example.com", "name": "_acme-challenge.www.example.com", "type": "TXT", "ttl": 300, "rdata": ["foreign", "mine", "other-replica"]]]])
        }
        let provider = try await AK.provider(AK.plugin(transport: transport), config: AK.config(emulator))
        try await provider.cleanUp(AK.challenge(.cleanUp, Self.fqdn, "mine"))
        #expect(try await AK.storedValues(emulator, Self.fqdn) == ["foreign", "other-replica"])
    }

    @Test("a set created by another writer between the read and the create (409) is read again and joined")
    func createConflict() async throws {
        let emulator = try await AK.emulator()
        let interfered = Mutex(false)
        let transport = HookTransport(inner: AsyncHTTPClientTransport()) { request, response in
            guard request.method == "GET", response.status == 404, request.url.contains("/names/"), !interfered.withLock({ $0 }) else { return }
            interfered.withLock { $0 = true }
            try await emulator.seed(["recordsets": [["zone": "example.com", "name": "_acme-challenge.www.example.com", "type": "TXT", "ttl": 300, "rdata": ["first"]]]])
        }
        let provider = try await AK.provider(AK.plugin(transport: transport), config: AK.config(emulator))
        try await provider.present(AK.challenge(.present, Self.fqdn, "second"))
        #expect(try await AK.storedValues(emulator, Self.fqdn) == ["first", "second"])
        let statuses = try await emulator.state()["statusCounts"] as? [String: [String: Int]]
        #expect(statuses?["recordset.create"]?["409"] == 1)
    }

    @Test(
        "refusals name the credential at fault, and an authentication error is never taken for 'no record set'",
        arguments: [
            (
                AK.secretData(clientSecret: "bm90LXRoZS1zZWNyZXQtMDAwMDAwMDAwMDAwMDAwMDA="),
                "Akamai refused the request signature (HTTP 401 Not authorized: The signature does not match): the client secret in secret cert-manager/akamai-dns (clientSecretSecretRef) does not belong to the client token"
            ),
            (
                AK.secretData(clientToken: "akab-cccccccccccccccc-9999999999999999"),
                "Akamai does not know the client token in secret cert-manager/akamai-dns (clientTokenSecretRef)"
            ),
            (
                AK.secretData(accessToken: "akab-aaaaaaaaaaaaaaaa-9999999999999999"),
                "Akamai does not accept the access token in secret cert-manager/akamai-dns (accessTokenSecretRef) with that client token"
            ),
        ])
    func refusals(data: [String: SecretValue], expected: String) async throws {
        let emulator = try await AK.emulator()
        let provider = try await AK.provider(config: AK.config(emulator), context: AK.context(secrets: AK.secrets(data)))
        let error = await #expect(throws: DNS01Error.self) { try await provider.present(AK.challenge(.present, Self.fqdn, "v")) }
        #expect(error?.code == .credentialsUnavailable)
        #expect(error?.message.hasPrefix(expected) == true, "\(error?.message ?? "")")
        for value in data.values { #expect(error?.message.contains(value.text) == false) }
        let counts = try await AK.counts(emulator)
        #expect(counts["recordset.create"] == nil && counts["recordset.delete"] == nil)
        // CleanUp must not report success on an authentication failure (cert-manager's isNotFound bug).
        await #expect(throws: DNS01Error.self) { try await provider.cleanUp(AK.challenge(.cleanUp, Self.fqdn, "v")) }
    }

    @Test("a clock off by more than Akamai's window is reported as a clock problem")
    func clockSkew() async throws {
        let emulator = try await AK.emulator()
        let plugin = AkamaiPlugin(retryPolicy: AK.fastRetries, environment: AkamaiEnvironment(epochSeconds: { Date().timeIntervalSince1970 - 600 }))
        let provider = try await AK.provider(plugin, config: AK.config(emulator))
        let error = await #expect(throws: DNS01Error.self) { try await provider.present(AK.challenge(.present, Self.fqdn, "v")) }
        #expect(error?.message.hasPrefix("Akamai refused the request time (HTTP 400 Bad request: Invalid timestamp): this machine's clock is off") == true, "\(error?.message ?? "")")
    }

    @Test("a zone the API client cannot see is a zone error; a throttle is retried after its Retry-After")
    func zonesAndThrottling() async throws {
        let emulator = try await AK.emulator()
        let org = try await AK.provider(config: AK.config(emulator), context: AK.context(secrets: AK.secrets(AK.secretData(clientToken: AK.orgClientToken, clientSecret: AK.orgClientSecret, accessToken: AK.orgAccessToken))))
        let error = await #expect(throws: DNS01Error.self) { try await org.present(AK.challenge(.present, Self.fqdn, "v")) }
        #expect(error?.code == .zoneNotFound)
        #expect(error?.message == "no Edge DNS zone that the API client in secret cert-manager/akamai-dns can see holds _acme-challenge.www.example.com (it sees 1 zones): add the zone to Edge DNS, or grant the API client access to it")

        let delays = Mutex<[Duration]>([])
        let policy = RetryPolicy(baseDelay: .milliseconds(1), maximumDelay: .milliseconds(5), sleep: { delay in delays.withLock { $0.append(delay) } })
        let provider = try await AK.provider(AK.plugin(retryPolicy: policy), config: AK.config(emulator))
        try await emulator.admin("POST", "/__admin/faults", ["throttle": 1, "retryAfterSeconds": 4])
        try await provider.present(AK.challenge(.present, Self.fqdn, "after-throttle"))
        #expect(delays.withLock { $0 } == [.seconds(4)])
        #expect(try await AK.storedValues(emulator, Self.fqdn) == ["after-throttle"])
    }

    @Test("only a 404 means 'no record set': a refused read fails Present and CleanUp, and nothing is created or deleted")
    func onlyNotFoundIsEmpty() async throws {
        let emulator = try await AK.emulator()
        try await emulator.seed(["recordsets": [["zone": "example.com", "name": "_acme-challenge.www.example.com", "type": "TXT", "ttl": 300, "rdata": ["mine"]]]])
        let provider = try await AK.provider(config: AK.config(emulator))
        let forbidden: [String: Any] = ["status": 403, "title": "Forbidden", "detail": "Client does not have access to zone example.com", "type": "https://problems.luna.akamaiapis.net/authoritative-dns/forbidden"]
        try await emulator.admin("POST", "/__admin/faults", ["errors": [forbidden, forbidden], "actions": ["recordset.get"]])
        let present = await #expect(throws: DNS01Error.self) { try await provider.present(AK.challenge(.present, Self.fqdn, "other")) }
        #expect(
            present?.message.hasPrefix("Akamai refused to read the TXT record set at _acme-challenge.www.example.com with the API client in secret cert-manager/akamai-dns (HTTP 403 Forbidden: Client does not have access to zone example.com)")
                == true, "\(present?.message ?? "")")
        await #expect(throws: DNS01Error.self) { try await provider.cleanUp(AK.challenge(.cleanUp, Self.fqdn, "mine")) }
        #expect(try await AK.writes(emulator).count == 1)
        #expect(try await AK.storedValues(emulator, Self.fqdn) == ["mine"])
    }

    @Test("a missing Secret key names the field that references it")
    func missingSecret() async throws {
        let plugin = AK.plugin()
        let emulator = try await AK.emulator()
        let configuration = try plugin.decodeConfiguration(AK.config(emulator), at: .root.appending("akamai"), source: .operatorConfig)
        var data = AK.secretData()
        data["accessToken"] = nil
        let error = await #expect(throws: DNS01Error.self) { try await plugin.makeProvider(for: configuration, context: AK.context(secrets: AK.secrets(data))) }
        #expect(error?.message == "akamai.accessTokenSecretRef: secret cert-manager/akamai-dns has no key \"accessToken\" (it has: clientSecret, clientToken)")
    }
}
