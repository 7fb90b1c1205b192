import DNS01
import Foundation
import HuaweiCloudProvider
import ProviderKit
import Synchronization
import TestSupport
import Testing

/// The TXT record set as a list of values behind an API with no precondition: what Present and
/// CleanUp do to it, how this process's writers are serialised, and how a value another writer
/// removed is written again.
@Suite("Huawei Cloud DNS record sets", .serialized)
struct HuaweiCloudRecordSetTests {
    @Test("Present adds to the set or creates it; CleanUp removes only its value and deletes the set when it is empty")
    func addAndRemove() async throws {
        let emulator = try await HuaweiFixture.emulator()
        let provider = try await HuaweiFixture.provider(HuaweiFixture.plugin(), config: HuaweiFixture.config(emulator))
        try await provider.present("_acme-challenge.example.com", "apex")
        try await provider.present("_acme-challenge.example.com", "wildcard")
        #expect(try await emulator.txtSets() == [#"_acme-challenge.example.com. "apex" "wildcard""#])
        try await provider.cleanUp("_acme-challenge.example.com", "apex")
        #expect(try await emulator.txtSets() == [#"_acme-challenge.example.com. "wildcard""#])
        try await provider.cleanUp("_acme-challenge.example.com", "wildcard")
        #expect(try await emulator.txtSets() == [])
        #expect(
            try await emulator.outcomes().filter { !$0.hasPrefix("List") } == [
                "CreateRecordSet OK", "UpdateRecordSet OK", "UpdateRecordSet OK", "DeleteRecordSet OK",
            ])
    }

    @Test("other values keep the form they were stored in, and the set keeps its TTL")
    func foreignValuesKeptAsStored() async throws {
        let emulator = try await HuaweiFixture.emulator()
        try await emulator.seed([
            "records": [
                [
                    "zone": "example.com", "name": "_acme-challenge.example.com.", "type": "TXT", "ttl": 3600,
                    "records": [#""v=spf1 -all""#, #""two" "chunks""#],
                ]
            ]
        ])
        let provider = try await HuaweiFixture.provider(HuaweiFixture.plugin(), config: HuaweiFixture.config(emulator))
        try await provider.present("_acme-challenge.example.com", "mine")
        #expect(try await emulator.storedValues("_acme-challenge.example.com.") == [#""v=spf1 -all""#, #""two" "chunks""#, #""mine""#])
        #expect(try await provider.values("_acme-challenge.example.com") == ["mine", "twochunks", "v=spf1 -all"])
        try await provider.cleanUp("_acme-challenge.example.com", "mine")
        #expect(try await emulator.storedValues("_acme-challenge.example.com.") == [#""v=spf1 -all""#, #""two" "chunks""#])
        #expect(try await emulator.recordSets().first { $0["type"] as? String == "TXT" }?["ttl"] as? Int == 3600)
    }

    @Test("a value another writer removed right after the write is written again")
    func repairsALostValue() async throws {
        let emulator = try await HuaweiFixture.emulator()
        let interference = ForeignWriter(emulator: emulator, times: 1)
        let provider = try await HuaweiFixture.provider(HuaweiFixture.plugin(transport: interference), config: HuaweiFixture.config(emulator))
        try await provider.present("_acme-challenge.example.com", "mine")
        #expect(try await emulator.storedValues("_acme-challenge.example.com.").sorted() == [#""foreign""#, #""mine""#])
        #expect(interference.interferences == 1)
        #expect(
            try await emulator.outcomes().filter { $0.hasPrefix("Create") || $0.hasPrefix("Update") } == [
                "CreateRecordSet OK", "UpdateRecordSet OK", "UpdateRecordSet OK",
            ], "our create, the foreign replacement, our repair")
    }

    @Test("a writer that undoes the change in every round is reported, naming the replicas")
    func reportsALastingRace() async throws {
        let emulator = try await HuaweiFixture.emulator()
        let provider = try await HuaweiFixture.provider(HuaweiFixture.plugin(transport: ForeignWriter(emulator: emulator, times: 100)), config: HuaweiFixture.config(emulator))
        let text = await failureMessage { try await provider.present("_acme-challenge.example.com", "mine") }
        #expect(
            text
                == "another writer outside the webhook (another tool, or a replica without the permission for its record-name Leases) kept replacing the TXT record set at _acme-challenge.example.com and undid this challenge's change in every round; cert-manager will try again"
        )
    }

    @Test("16 concurrent Presents in one process are batched into a few writes and none is lost")
    func concurrentPresentsAreBatched() async throws {
        let emulator = try await HuaweiFixture.emulator()
        let provider = try await HuaweiFixture.provider(HuaweiFixture.plugin(), config: HuaweiFixture.config(emulator))
        let keys = (0..<16).map { "key-\($0)" }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for key in keys { group.addTask { try await provider.present("_acme-challenge.race.example.com", key) } }
            try await group.waitForAll()
        }
        #expect(try await provider.values("_acme-challenge.race.example.com") == keys.sorted())
        let writes = try await emulator.outcomes().filter { $0.hasPrefix("CreateRecordSet") || $0.hasPrefix("UpdateRecordSet") }
        print("16 concurrent presents on one name: \(writes.count) writes")
        #expect(writes.count < 16)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for key in keys { group.addTask { try await provider.cleanUp("_acme-challenge.race.example.com", key) } }
            try await group.waitForAll()
        }
        #expect(try await emulator.txtSets() == [])
    }

    @Test("a set the API is still deleting counts as gone, so a Present right after creates a new one")
    func pendingDeleteIsGone() async throws {
        let emulator = try await HuaweiFixture.emulator(config: [
            "accounts": [["ak": HuaweiFixture.accessKey, "sk": HuaweiFixture.secretKey, "zones": ["example.com"]]],
            "pendingMs": 3000,
        ])
        let provider = try await HuaweiFixture.provider(HuaweiFixture.plugin(), config: HuaweiFixture.config(emulator))
        try await provider.present("_acme-challenge.example.com", "first")
        try await provider.cleanUp("_acme-challenge.example.com", "first")
        try await provider.present("_acme-challenge.example.com", "second")
        #expect(try await provider.values("_acme-challenge.example.com") == ["second"])
    }

    @Test("the longest zone of the account holds the record; zoneId and zoneName pin the zone")
    func zones() async throws {
        let emulator = try await HuaweiFixture.emulator(config: [
            "accounts": [["ak": HuaweiFixture.accessKey, "sk": HuaweiFixture.secretKey, "zones": ["example.com", "sub.example.com"]]]
        ])
        let plugin = HuaweiFixture.plugin()
        try await HuaweiFixture.provider(plugin, config: HuaweiFixture.config(emulator)).present("_acme-challenge.www.sub.example.com", "longest")
        let zonesByName = Dictionary(uniqueKeysWithValues: (try await emulator.state()["zones"] as? [[String: Any]] ?? []).map { ($0["name"] as? String ?? "", $0["id"] as? String ?? "") })
        let sets = try await emulator.recordSets().filter { $0["type"] as? String == "TXT" }
        #expect(sets.map { $0["zone_name"] as? String } == ["sub.example.com."])

        // Pinned to the parent zone by name and by id, the record goes there instead.
        try await HuaweiFixture.provider(plugin, config: HuaweiFixture.config(emulator, extra: ["zoneName": "example.com"])).present("_acme-challenge.www.sub.example.com", "by-name")
        try await HuaweiFixture.provider(plugin, config: HuaweiFixture.config(emulator, extra: ["zoneId": .string(zonesByName["example.com."] ?? "")])).present("_acme-challenge.www.sub.example.com", "by-id")
        let parent = try await emulator.recordSets().filter { $0["type"] as? String == "TXT" && $0["zone_name"] as? String == "example.com." }
        #expect(parent.flatMap { $0["records"] as? [String] ?? [] } == [#""by-name""#, #""by-id""#])

        let text = await failureMessage {
            try await HuaweiFixture.provider(plugin, config: HuaweiFixture.config(emulator, extra: ["zoneName": "example.net"])).present("_acme-challenge.example.com", "k")
        }
        #expect(text?.hasPrefix("the zoneName example.net of the config does not hold _acme-challenge.example.com") == true)
    }

    @Test("private zones are searched only when zoneType says so")
    func privateZones() async throws {
        let emulator = try await HuaweiFixture.emulator()
        let provider = try await HuaweiFixture.provider(HuaweiFixture.plugin(), config: HuaweiFixture.config(emulator, extra: ["zoneType": "private"]))
        let text = await failureMessage { try await provider.present("_acme-challenge.example.com", "k") }
        #expect(
            text
                == "no private zone in the Huawei Cloud account of secret cert-manager/huaweicloud-secret contains _acme-challenge.example.com (the account holds 0 private zones): add the zone in the Huawei Cloud DNS console, or use the access key of the account that holds it"
        )
        #expect(try await emulator.requests().first?["path"] as? String == "/v2/zones")
    }
}

/// Another writer of the same account (a second replica, another tool) that replaces the set
/// with its own stale list right after each of our writes, `times` times.
final class ForeignWriter: HTTPTransport {
    let base = AsyncHTTPClientTransport()
    let emulator: EmulatorPeer
    private let remaining: Mutex<Int>
    private let done = Mutex(0)

    init(emulator: EmulatorPeer, times: Int) {
        self.emulator = emulator
        self.remaining = Mutex(times)
    }

    var interferences: Int { done.withLock { $0 } }

    func send(_ request: APIRequest, timeout: Duration) async throws -> APIResponse {
        let response = try await base.send(request, timeout: timeout)
        guard ["POST", "PUT"].contains(request.method), response.status == 202,
            let object = try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any],
            let id = object["id"] as? String, let zone = object["zone_id"] as? String
        else { return response }
        let interfere = remaining.withLock { count -> Bool in
            guard count > 0 else { return false }
            count -= 1
            return true
        }
        guard interfere else { return response }
        let body = Array(#"{"records":["\"foreign\""]}"#.utf8)
        let foreign = APIRequest(method: "PUT", url: "\(emulator.baseURL)/v2/zones/\(zone)/recordsets/\(id)", headers: [.init("Content-Type", "application/json")], body: body)
        let signed = SDKHMACSigner(accessKey: HuaweiFixture.accessKey, secretKey: HuaweiFixture.secretKey)
            .sign(foreign, sdkDate: SDKDate.string(fromEpochSeconds: Int64(Date().timeIntervalSince1970))).request
        _ = try await base.send(signed, timeout: timeout)
        done.withLock { $0 += 1 }
        return response
    }
}
