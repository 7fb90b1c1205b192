import AliDNSProvider
import DNS01
import Testing

/// Present, clean-up and read-back against the emulator, which checks every signature.
/// Serialized, like the other emulator suites: one emulator at a time per suite keeps the load
/// on a two-core CI runner low enough for the timing-sensitive DNS tests running beside them.
@Suite("AliDNS provider against the emulator", .serialized)
struct AliDNSProviderTests {
    @Test("present adds one TXT record with TTL 600 at the exact RR, read-back sees it, clean-up removes it")
    func presentAndCleanUp() async throws {
        let emulator = try await AliDNSEmulator()
        let provider = try await Fixture.provider(Fixture.plugin(), config: Fixture.config(emulator))

        try await provider.present("_acme-challenge.www.example.com", "key-1", zone: "example.com")
        let records = try await emulator.records()
        #expect(records.count == 1)
        #expect(records.first?["RR"] as? String == "_acme-challenge.www")
        #expect(records.first?["Type"] as? String == "TXT")
        #expect(records.first?["Value"] as? String == "key-1")
        #expect(records.first?["TTL"] as? Int == 600)
        #expect(records.first?["Line"] as? String == "default")
        #expect(try await provider.values("_acme-challenge.www.example.com") == ["key-1"])
        // Every call is a POST with its parameters in the form body, so signatures and tokens
        // stay out of URLs (which proxies and access logs record).
        let requests = try await emulator.requests()
        #expect(requests.allSatisfy { $0["method"] as? String == "POST" && ($0["bodyParams"] as? [String])?.contains("Action") == true })

        try await provider.cleanUp("_acme-challenge.www.example.com", "key-1", zone: "example.com")
        #expect(try await emulator.records().isEmpty)
        #expect(try await provider.values("_acme-challenge.www.example.com") == [])
    }

    @Test("apex and wildcard keys on one name survive each other's clean-up, in either order")
    func apexAndWildcard() async throws {
        let emulator = try await AliDNSEmulator()
        let provider = try await Fixture.provider(Fixture.plugin(), config: Fixture.config(emulator))
        let name = "_acme-challenge.example.com"
        for (first, second) in [("apex", "wildcard"), ("wildcard", "apex")] {
            try await provider.present(name, "apex")
            try await provider.present(name, "wildcard")
            #expect(try await provider.values(name) == ["apex", "wildcard"])
            try await provider.cleanUp(name, first)
            #expect(try await provider.values(name) == [second])
            try await provider.cleanUp(name, second)
            #expect(try await provider.values(name) == [])
        }
    }

    @Test("present twice keeps one record, clean-up twice succeeds, and a duplicate answer counts as present")
    func idempotency() async throws {
        let emulator = try await AliDNSEmulator()
        let provider = try await Fixture.provider(Fixture.plugin(), config: Fixture.config(emulator))
        let name = "_acme-challenge.example.com"
        try await provider.present(name, "k")
        try await provider.present(name, "k")
        #expect(try await emulator.txt() == ["example.com _acme-challenge k"])
        #expect(try await emulator.actions().filter { $0.hasPrefix("AddDomainRecord") } == ["AddDomainRecord OK"])

        // A concurrent present (or a lost answer) makes AddDomainRecord report a duplicate.
        try await emulator.injectFaults(["errors": [["status": 400, "code": "DomainRecordDuplicate", "message": "The domain record is duplicated."]], "actions": ["AddDomainRecord"]])
        try await provider.present(name, "other")

        try await provider.cleanUp(name, "k")
        try await provider.cleanUp(name, "k")
        #expect(try await emulator.txt() == [])
    }

    @Test("clean-up deletes every record holding its key, and none holding another")
    func cleanUpOnlyItsOwnValue() async throws {
        let emulator = try await AliDNSEmulator()
        try await emulator.seed([
            "records": [
                ["domain": "example.com", "rr": "_acme-challenge", "type": "TXT", "value": "mine"],
                ["domain": "example.com", "rr": "_acme-challenge", "type": "TXT", "value": "mine", "line": "telecom"],
                ["domain": "example.com", "rr": "_acme-challenge", "type": "TXT", "value": "theirs"],
            ]
        ])
        let provider = try await Fixture.provider(Fixture.plugin(), config: Fixture.config(emulator))
        try await provider.cleanUp("_acme-challenge.example.com", "mine")
        #expect(try await emulator.txt() == ["example.com _acme-challenge theirs"])
    }

    @Test("RRKeyWord's fuzzy match never leaks in: records at longer RRs are neither counted nor deleted")
    func exactRR() async throws {
        let emulator = try await AliDNSEmulator()
        try await emulator.seed([
            "records": [
                ["domain": "example.com", "rr": "_acme-challenge.www", "type": "TXT", "value": "k"],
                ["domain": "example.com", "rr": "x_acme-challenge", "type": "TXT", "value": "k"],
                ["domain": "example.com", "rr": "_acme-challenge", "type": "A", "value": "192.0.2.1"],
            ]
        ])
        let provider = try await Fixture.provider(Fixture.plugin(), config: Fixture.config(emulator))
        #expect(try await provider.values("_acme-challenge.example.com") == [])
        try await provider.present("_acme-challenge.example.com", "k")
        #expect(try await provider.values("_acme-challenge.example.com") == ["k"])
        try await provider.cleanUp("_acme-challenge.example.com", "k")
        #expect(try await emulator.txt() == ["example.com _acme-challenge.www k", "example.com x_acme-challenge k"])
    }

    @Test("nested domains in one account: each name goes to the longest domain it ends with")
    func nestedDomains() async throws {
        let emulator = try await AliDNSEmulator()
        let provider = try await Fixture.provider(Fixture.plugin(), config: Fixture.config(emulator))
        try await provider.present("_acme-challenge.www.cn.example.com", "a", zone: "example.com")
        try await provider.present("_acme-challenge.cn.example.com", "b")
        try await provider.present("_acme-challenge.www.example.com", "c", zone: "cn.example.com")
        #expect(
            try await emulator.txt() == [
                "cn.example.com _acme-challenge b",
                "cn.example.com _acme-challenge.www a",
                "example.com _acme-challenge.www c",
            ])
    }

    @Test("a single-label resolvedZone such as com. is not trusted: the account's domain is found anyway")
    func singleLabelResolvedZone() async throws {
        let emulator = try await AliDNSEmulator()
        let provider = try await Fixture.provider(Fixture.plugin(), config: Fixture.config(emulator))
        try await provider.present("_acme-challenge.shop.example.com", "k", zone: "com.")
        #expect(try await emulator.txt() == ["example.com _acme-challenge.shop k"])
        try await provider.cleanUp("_acme-challenge.shop.example.com", "k", zone: "com.")
        #expect(try await emulator.txt() == [])
    }

    @Test("a name whose zone text also appears earlier keeps it in the RR (the zone is cut at the end only)")
    func zoneCutAtTheEnd() async throws {
        let emulator = try await AliDNSEmulator()
        let provider = try await Fixture.provider(Fixture.plugin(), config: Fixture.config(emulator))
        try await provider.present("_acme-challenge.example.com.example.com", "k")
        #expect(try await emulator.txt() == ["example.com _acme-challenge.example.com k"])
    }

    @Test("an internationalised domain is matched by its punycode and addressed by the API's name")
    func internationalisedDomain() async throws {
        let emulator = try await AliDNSEmulator()
        let provider = try await Fixture.provider(Fixture.plugin(), config: Fixture.config(emulator))
        try await provider.present("_acme-challenge.www.bücher.example", "k")
        #expect(try await emulator.txt() == ["xn--bcher-kva.example _acme-challenge.www k"])
        #expect(try await provider.values("_acme-challenge.www.xn--bcher-kva.example") == ["k"])
    }

    @Test("pages past 500 records: finds a key on the second page, adds nothing, deletes exactly it")
    func pagingPast500Records() async throws {
        let emulator = try await AliDNSEmulator()
        try await emulator.seed(["domain": "example.com", "count": 620, "rr": "_acme-challenge", "value": "v{i}"])
        let provider = try await Fixture.provider(Fixture.plugin(), config: Fixture.config(emulator))
        // Newest first: v0, the oldest, is on page 2.
        try await provider.present("_acme-challenge.example.com", "v0")
        #expect(try await emulator.txt().count == 620)
        try await provider.cleanUp("_acme-challenge.example.com", "v0")
        let left = try await emulator.txt()
        #expect(left.count == 619)
        #expect(!left.contains("example.com _acme-challenge v0"))
        let pages = try await emulator.requests().filter { $0["action"] as? String == "DescribeDomainRecords" }
            .compactMap { ($0["params"] as? [String: Any])?["PageNumber"] as? String }
        #expect(pages == ["1", "2", "1", "2"])
        #expect(try await emulator.actions().filter { $0.hasPrefix("AddDomainRecord") }.isEmpty)
    }

    @Test("pages through DescribeDomains: a domain on the third page of 100 is found")
    func pagingDomains() async throws {
        let domains = (0..<250).map { "d\($0).example.net" }
        let emulator = try await AliDNSEmulator(config: ["accounts": [["accessKeyId": "testid", "accessKeySecret": "testsecret", "domains": domains]]])
        let provider = try await Fixture.provider(Fixture.plugin(), config: Fixture.config(emulator))
        try await provider.present("_acme-challenge.d249.example.net", "k")
        #expect(try await emulator.txt() == ["d249.example.net _acme-challenge k"])
        #expect(try await emulator.actions().filter { $0.hasPrefix("DescribeDomains") }.count == 3)
    }

    @Test("the domain list is cached: a second challenge lists no domains")
    func domainListCached() async throws {
        let emulator = try await AliDNSEmulator()
        let plugin = Fixture.plugin()
        try await Fixture.provider(plugin, config: Fixture.config(emulator)).present("_acme-challenge.example.com", "a")
        try await Fixture.provider(plugin, config: Fixture.config(emulator)).cleanUp("_acme-challenge.example.com", "a")
        #expect(try await emulator.actions().filter { $0.hasPrefix("DescribeDomains") }.count == 1)
    }

    @Test("ttl and line from the config reach the record")
    func ttlAndLine() async throws {
        let emulator = try await AliDNSEmulator(config: ["accounts": [["accessKeyId": "testid", "accessKeySecret": "testsecret", "domains": ["example.com"]]], "minTTL": 60])
        let provider = try await Fixture.provider(Fixture.plugin(), config: Fixture.config(emulator, extra: ["ttl": 120, "line": "oversea"]))
        try await provider.present("_acme-challenge.example.com", "k")
        let record = try #require(try await emulator.records().first)
        #expect(record["TTL"] as? Int == 120)
        #expect(record["Line"] as? String == "oversea")
        // The same value on the default line does not count as present on the configured line.
        try await emulator.seed(["records": [["domain": "example.com", "rr": "_acme-challenge", "type": "TXT", "value": "d"]]])
        try await provider.present("_acme-challenge.example.com", "d")
        #expect(try await emulator.records().filter { $0["Value"] as? String == "d" }.count == 2)
    }

    @Test("concurrent challenges: two keys both land, and the same key presented twice at once lands once")
    func concurrentPresents() async throws {
        let emulator = try await AliDNSEmulator()
        let plugin = Fixture.plugin()
        let name = "_acme-challenge.example.com"
        try await withThrowingTaskGroup(of: Void.self) { group in
            for key in ["apex", "wildcard", "apex", "wildcard"] {
                group.addTask { try await Fixture.provider(plugin, config: Fixture.config(emulator)).present(name, key) }
            }
            try await group.waitForAll()
        }
        #expect(try await emulator.txt() == ["example.com _acme-challenge apex", "example.com _acme-challenge wildcard"])
        // One domain listing served all four challenges (single flight).
        #expect(try await emulator.actions().filter { $0.hasPrefix("DescribeDomains") }.count == 1)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for key in ["apex", "wildcard"] {
                group.addTask { try await Fixture.provider(plugin, config: Fixture.config(emulator)).cleanUp(name, key) }
            }
            try await group.waitForAll()
        }
        #expect(try await emulator.txt() == [])
    }
}
