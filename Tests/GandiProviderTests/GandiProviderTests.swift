import DNS01
import Foundation
import GandiProvider
import ProviderKit
import Synchronization
import TestSupport
import Testing

/// A flag set once, shareable with `@Sendable` closures.
final class Once: Sendable {
    private let fired = Atomic<Bool>(false)
    /// True the first time only.
    func first() -> Bool { !fired.exchange(true, ordering: .relaxed) }
    var happened: Bool { fired.load(ordering: .relaxed) }
}

/// A transport that passes requests on, and lets a test act as another writer around them.
final class InterceptingTransport: HTTPTransport {
    let inner = AsyncHTTPClientTransport()
    let before: @Sendable (APIRequest) async throws -> Void
    let after: @Sendable (APIRequest, APIResponse) async throws -> Void

    init(before: @escaping @Sendable (APIRequest) async throws -> Void = { _ in }, after: @escaping @Sendable (APIRequest, APIResponse) async throws -> Void = { _, _ in }) {
        self.before = before
        self.after = after
    }

    func send(_ request: APIRequest, timeout: Duration) async throws -> APIResponse {
        try await before(request)
        let response = try await inner.send(request, timeout: timeout)
        try await after(request, response)
        return response
    }
}

@Suite("Gandi provider against the emulator", .serialized)
struct GandiProviderTests {
    let fqdn = "_acme-challenge.www.example.com"
    let name = "_acme-challenge.www"

    /// Writes `values` at `name` as another client would (a PUT with the PAT).
    static func foreignPut(_ emulator: EmulatorPeer, name: String, values: [String]) async throws {
        let body = try JSONSerialization.data(withJSONObject: ["rrset_ttl": 300, "rrset_values": values])
        let response = try await AsyncHTTPClientTransport().send(
            APIRequest(
                method: "PUT", url: "\(emulator.baseURL)/v5/livedns/domains/example.com/records/\(name)/TXT",
                headers: [.init("Authorization", "Bearer \(GandiFixture.token)"), .init("Content-Type", "application/json")], body: Array(body)
            ), timeout: .seconds(5))
        #expect(response.status == 201)
    }

    @Test("the last value's CleanUp deletes the rrset; a value of someone else keeps it")
    func deletesEmptySet() async throws {
        let emulator = try await EmulatorPeer("gandi_emulator.py")
        let provider = try await GandiFixture.provider(config: GandiFixture.config(emulator))
        try await provider.present(GandiFixture.challenge(.present, fqdn, "mine"))
        #expect(try await GandiFixture.values(emulator, name: name) == ["mine"])
        try await provider.cleanUp(GandiFixture.challenge(.cleanUp, fqdn, "mine"))
        #expect(try await GandiFixture.values(emulator, name: name) == nil)
        let calls = try await GandiFixture.calls(emulator)
        #expect(calls.contains("createRRSet OK") && calls.contains("deleteRRSet OK"), "\(calls)")
        #expect(!calls.contains { $0.hasPrefix("replaceRRSet") }, "\(calls)")
    }

    @Test("sixteen concurrent Presents are coalesced into a few writes, and all sixteen values hold")
    func coalescesConcurrentPresents() async throws {
        let emulator = try await EmulatorPeer("gandi_emulator.py")
        let provider = try await GandiFixture.provider(config: GandiFixture.config(emulator))
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<16 { group.addTask { try await provider.present(GandiFixture.challenge(.present, fqdn, "v\(index)")) } }
            try await group.waitForAll()
        }
        #expect(Set(try await GandiFixture.values(emulator, name: name) ?? []) == Set((0..<16).map { "v\($0)" }))
        let writes = try await GandiFixture.calls(emulator).filter { $0.hasPrefix("replaceRRSet") || $0.hasPrefix("createRRSet") }
        #expect(writes.count < 16, "\(writes)")
    }

    @Test("a value another writer drops between our write and our verifying read is written again")
    func repairsALostValue() async throws {
        let emulator = try await EmulatorPeer("gandi_emulator.py")
        let intruded = Once()
        let transport = InterceptingTransport(after: { request, response in
            // Right after our first write, another client replaces the set with its own value.
            guard ["PUT", "POST"].contains(request.method), request.url.hasSuffix("/records/_acme-challenge.www/TXT"), response.status == 201,
                intruded.first()
            else { return }
            try await Self.foreignPut(emulator, name: "_acme-challenge.www", values: ["intruder"])
        })
        let plugin = GandiPlugin(transport: transport, retryPolicy: RetryPolicy(baseDelay: .milliseconds(5)), requestTimeout: .seconds(10))
        let provider = try await GandiFixture.provider(plugin, config: GandiFixture.config(emulator))
        try await provider.present(GandiFixture.challenge(.present, fqdn, "mine"))
        #expect(intruded.happened)
        #expect(Set(try await GandiFixture.values(emulator, name: name) ?? []) == ["intruder", "mine"])
    }

    @Test("an rrset created by someone else between our read and our create is kept (POST answers 409, then PUT merges)")
    func createConflict() async throws {
        let emulator = try await EmulatorPeer("gandi_emulator.py")
        let raced = Once()
        let transport = InterceptingTransport(before: { request in
            guard request.method == "POST", request.url.hasSuffix("/records/_acme-challenge.www/TXT"), raced.first() else { return }
            try await Self.foreignPut(emulator, name: "_acme-challenge.www", values: ["first"])
        })
        let plugin = GandiPlugin(transport: transport, retryPolicy: RetryPolicy(baseDelay: .milliseconds(5)), requestTimeout: .seconds(10))
        let provider = try await GandiFixture.provider(plugin, config: GandiFixture.config(emulator))
        try await provider.present(GandiFixture.challenge(.present, fqdn, "second"))
        #expect(Set(try await GandiFixture.values(emulator, name: name) ?? []) == ["first", "second"])
        #expect(try await GandiFixture.calls(emulator).contains("createRRSet Conflict"))
    }

    @Test("a legacy API key works with apiKeyType: apiKey (Authorization: Apikey)")
    func legacyAPIKey() async throws {
        let emulator = try await EmulatorPeer("gandi_emulator.py")
        let provider = try await GandiFixture.provider(config: GandiFixture.config(emulator, secret: "gandi-apikey", extra: ["apiKeyType": "apiKey"]))
        try await provider.present(GandiFixture.challenge(.present, fqdn, "by-key"))
        #expect(try await provider.txtValues(at: DomainName(fqdn), zone: nil) == ["by-key"])
        let requests = try await emulator.admin("GET", "/__admin/state")["requests"] as? [[String: Any]] ?? []
        #expect(requests.allSatisfy { $0["principal"] as? String == "apikey" })
    }

    @Test("a refused token, a token limited to other domains and a domain LiveDNS does not serve fail saying what to fix")
    func clearFailures() async throws {
        let emulator = try await EmulatorPeer("gandi_emulator.py")
        let keyAsToken = try await GandiFixture.provider(config: GandiFixture.config(emulator, secret: "gandi-apikey"))
        let refused = await dns01Failure { try await keyAsToken.present(GandiFixture.challenge(.present, fqdn, "k")) }
        #expect(refused?.code == .credentialsUnavailable)
        #expect(refused?.message == "Gandi refused the personal access token from secret cert-manager/gandi-apikey key \"token\" (401 Unauthorized): it is wrong or expired; if the Secret holds a legacy API key instead, set apiKeyType: apiKey")

        let limited = try await GandiFixture.provider(config: GandiFixture.config(emulator, secret: "gandi-limited"))
        let notListed = await dns01Failure { try await limited.present(GandiFixture.challenge(.present, fqdn, "k")) }
        #expect(notListed?.code == .zoneNotFound)
        #expect(
            notListed?.message
                == "no domain served by Gandi LiveDNS for the personal access token from secret cert-manager/gandi-limited key \"token\" contains _acme-challenge.www.example.com (it sees 1 domains): check that the domain uses LiveDNS name servers and that the token may access it"
        )

        let provider = try await GandiFixture.provider(config: GandiFixture.config(emulator))
        let elsewhere = await dns01Failure { try await provider.present(GandiFixture.challenge(.present, "_acme-challenge.example.org", "k")) }
        #expect(elsewhere?.code == .zoneNotFound)
    }

    @Test("the old dns.api.gandi.net base path works the same")
    func oldBase() async throws {
        let emulator = try await EmulatorPeer("gandi_emulator.py")
        let provider = try await GandiFixture.provider(config: ["apiKeySecretRef": ["name": "gandi-access-token", "key": "token"], "endpoint": .string(emulator.baseURL + "/api/v5")])
        try await provider.present(GandiFixture.challenge(.present, fqdn, "old-base"))
        #expect(try await GandiFixture.values(emulator, name: name) == ["old-base"])
    }
}
