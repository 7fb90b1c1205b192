import CloudDNSProvider
import DNS01
import Foundation
import ProviderKit
import Synchronization
import TestSupport
import Testing

/// A transport that runs `before` ahead of the first request matching `method` and a path
/// suffix, to play another writer at the worst moment.
final class InterposingTransport: HTTPTransport {
    let inner: any HTTPTransport = AsyncHTTPClientTransport()
    let method: String
    let pathSuffix: String
    let before: @Sendable () async throws -> Void
    private let fired = Mutex(false)

    init(method: String, pathSuffix: String, before: @escaping @Sendable () async throws -> Void) {
        self.method = method
        self.pathSuffix = pathSuffix
        self.before = before
    }

    func send(_ request: APIRequest, timeout: Duration) async throws -> APIResponse {
        let path = request.url.split(separator: "?").first.map(String.init) ?? request.url
        if request.method == method, path.hasSuffix(pathSuffix),
            fired.withLock({ fired in
                defer { fired = true }
                return !fired
            })
        {
            try await before()
        }
        return try await inner.send(request, timeout: timeout)
    }
}

/// How the provider keeps one TXT set per name: zones, TTLs, quoting, pending changes, and the
/// precondition that makes a concurrent writer's change fail instead of being lost.
@Suite("cloudDNS record sets: zones, change sets and their precondition", .serialized)
struct CloudDNSRecordSetTests {
    func context(_ emulator: EmulatorPeer) async throws -> ProviderContext {
        GCP.context(secrets: GCP.secrets([GCP.secretName: try await GCP.keyFile(emulator)]))
    }

    @Test("a change that lost a race (412) is re-read and retried; the other writer's value stays")
    func lostRaceIsRetried() async throws {
        let emulator = try await GCP.emulator()
        let fqdn = "_acme-challenge.race.example.com"
        try await emulator.seed(["rrsets": [["zone": "example-com", "name": fqdn + ".", "type": "TXT", "ttl": 60, "rrdatas": ["\"first\""]]]])
        // Between our read and our change, another writer adds a value.
        let transport = InterposingTransport(method: "POST", pathSuffix: "/changes") {
            try await emulator.seed(["rrsets": [["zone": "example-com", "name": fqdn + ".", "type": "TXT", "rrdatas": ["\"other-writer\""]]]])
        }
        let provider = try await GCP.provider(GCP.plugin(transport: transport), config: GCP.config(emulator), context: try await context(emulator))
        try await provider.present(GCP.challenge(.present, fqdn, "ours"))
        #expect(try await GCP.storedValues(emulator, fqdn).sorted() == ["first", "other-writer", "ours"])
        let creates = (try await emulator.admin("GET", "/__admin/state")["requests"] as? [[String: Any]] ?? []).filter { $0["action"] as? String == "dns.changes.create" }
        #expect(creates.map { $0["status"] as? Int } == [412, 200])
    }

    @Test("a set created by another writer between our read and our change (409) is re-read and retried")
    func createRaceIsRetried() async throws {
        let emulator = try await GCP.emulator()
        let fqdn = "_acme-challenge.create-race.example.com"
        let transport = InterposingTransport(method: "POST", pathSuffix: "/changes") {
            try await emulator.seed(["rrsets": [["zone": "example-com", "name": fqdn + ".", "type": "TXT", "ttl": 120, "rrdatas": ["\"theirs\""]]]])
        }
        let provider = try await GCP.provider(GCP.plugin(transport: transport), config: GCP.config(emulator), context: try await context(emulator))
        try await provider.present(GCP.challenge(.present, fqdn, "ours"))
        let set = try #require(try await GCP.storedSet(emulator, fqdn))
        #expect(set.rrdatas == ["\"theirs\"", "\"ours\""] && set.ttl == 120)
        let counts = try await GCP.counts(emulator)
        #expect(counts["dns.changes.create"] == 2)
    }

    @Test("new sets get TTL 60 and quoted values; existing sets keep their TTL; a bare value of another tool is recognised")
    func ttlAndQuoting() async throws {
        let emulator = try await GCP.emulator()
        let provider = try await GCP.provider(GCP.plugin(), config: GCP.config(emulator), context: try await context(emulator))
        try await provider.present(GCP.challenge(.present, "_acme-challenge.new.example.com", "v1"))
        #expect(try await GCP.storedSet(emulator, "_acme-challenge.new.example.com").map { [String($0.ttl)] + $0.rrdatas } == ["60", "\"v1\""])
        try await emulator.seed(["rrsets": [["zone": "example-com", "name": "_acme-challenge.old.example.com.", "type": "TXT", "ttl": 3600, "rrdatas": ["bare"]]]])
        try await provider.present(GCP.challenge(.present, "_acme-challenge.old.example.com", "v2"))
        #expect(try await GCP.storedSet(emulator, "_acme-challenge.old.example.com").map { [String($0.ttl)] + $0.rrdatas } == ["3600", "bare", "\"v2\""])
        // Presenting a value already there, bare or quoted, changes nothing.
        let changes = try await GCP.counts(emulator)["dns.changes.create"]
        try await provider.present(GCP.challenge(.present, "_acme-challenge.old.example.com", "bare"))
        #expect(try await GCP.counts(emulator)["dns.changes.create"] == changes)
        try await provider.cleanUp(GCP.challenge(.cleanUp, "_acme-challenge.old.example.com", "bare"))
        #expect(try await GCP.storedSet(emulator, "_acme-challenge.old.example.com")?.rrdatas == ["\"v2\""])
    }

    @Test("the zone: the longest holding the name, the public one of a public and a private zone of one name, or hostedZoneName")
    func zoneChoice() async throws {
        let emulator = try await GCP.emulator()
        let plugin = GCP.plugin()
        let provider = try await GCP.provider(plugin, config: GCP.config(emulator), context: try await context(emulator))
        try await provider.present(GCP.challenge(.present, "_acme-challenge.www.example.com", "public"))
        try await provider.present(GCP.challenge(.present, "_acme-challenge.www.sub.example.com", "longest"))
        #expect(try await GCP.storedValues(emulator, "_acme-challenge.www.example.com", zone: "example-com") == ["public"])
        #expect(try await GCP.storedValues(emulator, "_acme-challenge.www.example.com", zone: "example-com-private") == [])
        #expect(try await GCP.storedValues(emulator, "_acme-challenge.www.sub.example.com", zone: "sub-example-com") == ["longest"])
        #expect(try await GCP.counts(emulator)["dns.managedZones.list"] == 2)  // one listing (two pages), cached
        let pinned = try await GCP.provider(plugin, config: GCP.config(emulator, extra: ["hostedZoneName": "example-com-private"]), context: try await context(emulator))
        try await pinned.present(GCP.challenge(.present, "_acme-challenge.www.example.com", "private"))
        #expect(try await GCP.storedValues(emulator, "_acme-challenge.www.example.com", zone: "example-com-private") == ["private"])
        #expect(try await GCP.counts(emulator)["dns.managedZones.list"] == 2)
        let nowhere = try await GCP.provider(plugin, config: GCP.config(emulator), context: try await context(emulator))
        do {
            try await nowhere.present(GCP.challenge(.present, "_acme-challenge.www.example.net", "none"))
            Issue.record("a name no zone holds was written")
        } catch let error as DNS01Error {
            #expect(error.code == .zoneNotFound)
            #expect(error.message.hasPrefix("no managed zone of project test-project holds _acme-challenge.www.example.net (the project has 4 managed zones visible to the service account"), "\(error.message)")
        }
    }

    @Test("a pending change is polled until it is done")
    func pendingChangeIsAwaited() async throws {
        let emulator = try await GCP.emulator(config: try Self.defaultConfig(pendingReads: 2))
        let provider = try await GCP.provider(GCP.plugin(), config: GCP.config(emulator), context: try await context(emulator))
        try await provider.present(GCP.challenge(.present, "_acme-challenge.pending.example.com", "p"))
        #expect(try await GCP.counts(emulator)["dns.changes.get"] == 2)
        #expect(try await GCP.storedValues(emulator, "_acme-challenge.pending.example.com") == ["p"])
    }

    /// The emulator's default config with `pendingReads` set.
    static func defaultConfig(pendingReads: Int) async throws -> [String: Any] {
        let script = "import json, sys; sys.path.insert(0, 'Tests/Peers'); import clouddns_emulator as e; print(json.dumps(e.DEFAULT_CONFIG))"
        let result = try await runCommand(python, ["-c", script])
        guard result.status == 0, var config = GoogleKeyJSON.object(result.stdout) else { throw PeerError("cannot read the emulator's default config: \(result.stderr)") }
        config["pendingReads"] = pendingReads
        return config
    }
}

@Suite("ValueSetWriter with confirmed writes: no verifying read; a lost precondition is thrown to the caller")
struct ConfirmedWritesTests {
    final class PreconditionedSet: Sendable {
        private let state = Mutex<(values: [String], reads: Int, writes: Int)>(([], 0, 0))
        var reads: Int { state.withLock { $0.reads } }
        var writes: Int { state.withLock { $0.writes } }
        var values: [String] { state.withLock { $0.values } }
        func replaceBehindTheWritersBack(_ values: [String]) { state.withLock { $0.values = values } }

        struct Lost: Error {}

        var store: ValueSetWriter<String>.Store {
            .init(
                read: {
                    self.state.withLock {
                        $0.reads += 1
                        return $0.values
                    }
                },
                write: { values, current in
                    try self.state.withLock { state in
                        guard state.values == current else { throw Lost() }
                        state.writes += 1
                        state.values = values
                    }
                },
                delete: { current in
                    try self.state.withLock { state in
                        guard state.values == current else { throw Lost() }
                        state.values = []
                    }
                },
                confirmsWrites: true
            )
        }
    }

    @Test("a change costs one read and one write")
    func oneReadOneWrite() async throws {
        let writer = ValueSetWriter<String>()
        let set = PreconditionedSet()
        try await writer.apply(.add("a"), at: "n", store: set.store)
        try await writer.apply(.add("b"), at: "n", store: set.store)
        #expect(set.values == ["a", "b"] && set.reads == 2 && set.writes == 2)
    }

    @Test("a write whose precondition failed throws, and a retry applies it")
    func lostPreconditionThrows() async throws {
        let writer = ValueSetWriter<String>()
        let set = PreconditionedSet()
        let store = set.store
        let racing = ValueSetWriter<String>.Store(
            read: {
                let values = try await store.read()
                set.replaceBehindTheWritersBack(values + ["foreign"])
                return values
            },
            write: store.write, delete: store.delete, confirmsWrites: true)
        await #expect(throws: PreconditionedSet.Lost.self) { try await writer.apply(.add("ours"), at: "n", store: racing) }
        try await writer.apply(.add("ours"), at: "n", store: store)
        #expect(set.values == ["foreign", "ours"])
    }
}
