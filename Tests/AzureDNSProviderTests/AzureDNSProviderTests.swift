import AzureDNSProvider
import DNS01
import Foundation
import ProviderKit
import TestSupport
import Testing

@Suite("Azure DNS provider against the emulator", .serialized)
struct AzureDNSProviderTests {
    static let fqdn = "_acme-challenge.www.example.com"

    @Test("a write that loses a race (412) reads the set again and keeps the other writer's value")
    func preconditionRace() async throws {
        let emulator = try await AZ.emulator()
        let provider = try await AZ.provider(config: AZ.secretConfig(emulator))
        try await provider.present(AZ.challenge(.present, Self.fqdn, "apex"))
        // Hold the next PUT: the provider has read the set and its write is on the way.
        try await emulator.admin("POST", "/__admin/hold", ["action": "recordsets.put", "count": 1])
        let wildcard = Task { try await provider.present(AZ.challenge(.present, Self.fqdn, "wildcard")) }
        let deadline = ContinuousClock.now + .seconds(20)
        while try await emulator.admin("GET", "/__admin/hold")["holding"] as? Int != 1 {
            guard ContinuousClock.now < deadline else { throw PeerError("the PUT never arrived") }
            try await Task.sleep(for: .milliseconds(20))
        }
        // Another writer (another replica, the portal) changes the set meanwhile.
        try await emulator.seed(["records": [["zone": "example.com", "name": Self.fqdn, "values": ["other-writer"]]]])
        try await emulator.admin("POST", "/__admin/release")
        try await wildcard.value
        #expect(try await AZ.storedValues(emulator, Self.fqdn) == ["apex", "other-writer", "wildcard"])
        let puts = try await AZ.requests(emulator).filter { $0["action"] as? String == "recordsets.put" }.map { $0["status"] as? Int }
        #expect(puts == [201, 412, 200])
    }

    @Test("a new set gets TTL 60 and If-None-Match: *; an existing set keeps its TTL, metadata and records split over several strings")
    func keepsForeignRecords() async throws {
        let emulator = try await AZ.emulator()
        let provider = try await AZ.provider(config: AZ.secretConfig(emulator))
        try await provider.present(AZ.challenge(.present, Self.fqdn, "mine"))
        #expect(try await AZ.recordSets(emulator).first?["ttl"] as? Int == 60)
        try await provider.cleanUp(AZ.challenge(.cleanUp, Self.fqdn, "mine"))
        #expect(try await AZ.recordSets(emulator).isEmpty, "the last value's removal deletes the set")

        try await emulator.seed(["records": [["zone": "example.com", "name": Self.fqdn, "values": [["v=spf1 ", "-all"]], "ttl": 3600]]])
        try await provider.present(AZ.challenge(.present, Self.fqdn, "mine"))
        let set = try #require(try await AZ.recordSets(emulator).first)
        #expect(set["ttl"] as? Int == 3600)
        #expect(set["records"] as? [[String]] == [["v=spf1 ", "-all"], ["mine"]])
        #expect(try await provider.txtValues(at: DomainName(Self.fqdn), zone: nil) == ["v=spf1 -all", "mine"])
        try await provider.cleanUp(AZ.challenge(.cleanUp, Self.fqdn, "mine"))
        #expect(try await AZ.recordSets(emulator).first?["records"] as? [[String]] == [["v=spf1 ", "-all"]])
    }

    @Test("a value longer than 255 characters is written as several strings and read back whole")
    func longValue() async throws {
        let emulator = try await AZ.emulator()
        let provider = try await AZ.provider(config: AZ.secretConfig(emulator))
        let long = String(repeating: "a", count: 300)
        try await provider.present(AZ.challenge(.present, Self.fqdn, long))
        #expect(try await AZ.recordSets(emulator).first?["records"] as? [[String]] == [[String(repeating: "a", count: 255), String(repeating: "a", count: 45)]])
        #expect(try await provider.txtValues(at: DomainName(Self.fqdn), zone: nil) == [long])
        try await provider.cleanUp(AZ.challenge(.cleanUp, Self.fqdn, long))
        #expect(try await AZ.recordSets(emulator).isEmpty)
    }

    @Test("without hostedZoneName the zone is the longest zone of the resource group (all pages, listed once)")
    func longestZone() async throws {
        let emulator = try await AZ.emulator(config: AZ.config(["zonesPageSize": 1]))
        let provider = try await AZ.provider(config: AZ.secretConfig(emulator, hostedZone: nil))
        try await provider.present(AZ.challenge(.present, "_acme-challenge.www.sub.example.com", "deep"))
        try await provider.present(AZ.challenge(.present, "_acme-challenge.example.com", "apex"))
        let sets = try await AZ.recordSets(emulator)
        #expect(sets.map { "\($0["name"] ?? "")@\($0["zone"] ?? "")" }.sorted() == ["_acme-challenge.www@sub.example.com", "_acme-challenge@example.com"])
        #expect(try await AZ.counts(emulator)["zones.list"] == 3)
        let error = await #expect(throws: DNS01Error.self) { try await provider.present(AZ.challenge(.present, "_acme-challenge.example.net", "x")) }
        #expect(error?.code == .zoneNotFound)
        #expect(error?.message.hasPrefix("no DNS zone of resource group dns-rg in subscription \(AZ.subscription) holds _acme-challenge.example.net (the group has 3 zones)") == true, "\(error?.message ?? "")")
    }

    @Test("at a zone's apex (a delegated _acme-challenge zone) the record set is @, not the full name cert-manager writes")
    func apexIsAt() async throws {
        let emulator = try await AZ.emulator(config: AZ.config(["resourceGroups": ["dns-rg": ["example.com", "_acme-challenge.example.org"]]]))
        let provider = try await AZ.provider(config: AZ.secretConfig(emulator, hostedZone: nil))
        try await provider.present(AZ.challenge(.present, "_acme-challenge.example.org", "delegated"))
        let set = try #require(try await AZ.recordSets(emulator).first)
        #expect(set["zone"] as? String == "_acme-challenge.example.org")
        #expect(set["name"] as? String == "@")
    }

    @Test("a record name outside hostedZoneName is refused before any call")
    func outsideHostedZone() async throws {
        let emulator = try await AZ.emulator()
        let provider = try await AZ.provider(config: AZ.secretConfig(emulator))
        let error = await #expect(throws: DNS01Error.self) { try await provider.present(AZ.challenge(.present, "_acme-challenge.example.org", "x")) }
        #expect(error?.code == .zoneNotFound)
        #expect(
            error?.message.hasPrefix("example.org is not in the zone example.com that azureDNS.hostedZoneName names") == true
                || error?.message.hasPrefix("_acme-challenge.example.org is not in the zone example.com that azureDNS.hostedZoneName names") == true, "\(error?.message ?? "")")
        #expect(try await emulator.apiCallCount() == 0)
    }

    @Test("a zone the resource group does not have is reported with the fields to check")
    func missingZone() async throws {
        let emulator = try await AZ.emulator()
        let provider = try await AZ.provider(config: AZ.secretConfig(emulator, hostedZone: "example.net"))
        let error = await #expect(throws: DNS01Error.self) { try await provider.present(AZ.challenge(.present, "_acme-challenge.example.net", "x")) }
        #expect(error?.code == .zoneNotFound)
        #expect(error?.message.contains("ResourceNotFound") == true && error?.message.contains("check hostedZoneName and resourceGroupName") == true, "\(error?.message ?? "")")
    }

    @Test("throttling waits for Retry-After and 5xx is retried; an endless outage fails plainly")
    func throttlingAndOutage() async throws {
        let emulator = try await AZ.emulator()
        let provider = try await AZ.provider(config: AZ.secretConfig(emulator))
        try await provider.present(AZ.challenge(.present, Self.fqdn, "warm"))
        try await emulator.injectFaults(2)
        try await provider.present(AZ.challenge(.present, Self.fqdn, "after-faults"))
        #expect(try await AZ.storedValues(emulator, Self.fqdn) == ["warm", "after-faults"])
        try await emulator.admin("POST", "/__admin/faults", ["error5xx": 100])
        let error = await #expect(throws: DNS01Error.self) { try await provider.present(AZ.challenge(.present, Self.fqdn, "x")) }
        #expect(error?.code == .providerUnavailable)
        #expect(error?.message.hasPrefix("Azure DNS kept failing to read the TXT record set _acme-challenge.www of zone example.com through every retry (HTTP 503 ServiceUnavailable") == true, "\(error?.message ?? "")")
    }

    @Test("a server whose certificate is not trusted is refused at once, before any secret is sent")
    func untrustedCertificate() async throws {
        let emulator = try await AZ.emulator()
        let plugin = AzureDNSPlugin(retryPolicy: AZ.fastRetries, requestTimeout: .seconds(10))  // the system's CAs only
        let provider = try await AZ.provider(plugin, config: AZ.secretConfig(emulator))
        let error = await #expect(throws: DNS01Error.self) { try await provider.present(AZ.challenge(.present, Self.fqdn, "x")) }
        #expect(error?.code == .providerUnavailable)
        #expect(error?.message.hasPrefix("cannot reach 127.0.0.1:") == true && error?.message.contains("the TLS handshake failed") == true, "\(error?.message ?? "")")
        #expect(try await emulator.apiCallCount() == 0)
    }
}
