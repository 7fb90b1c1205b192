import DNS01
import ProviderKit
import Route53Emulator
import Testing

@testable import Route53Provider

@Suite("Route53 zone choice (against the Route53 model)")
struct HostedZoneFinderTests {
    static func emulator(pageSize: Int = 100) -> Route53Emulator {
        var options = Route53Emulator.Options()
        options.requestsPerSecond = nil
        options.maximumPageSize = pageSize
        return Route53Emulator(options: options)
    }

    @Test("the longest matching public zone wins: sub.example.com over example.com, example.com for names outside sub")
    func nestedZones() async throws {
        let emulator = Self.emulator()
        let parent = emulator.addZone("example.com")
        let child = emulator.addZone("sub.example.com")
        emulator.addZone("notsub.example.com")
        let provider = try await R53.provider(R53.plugin(emulator))
        try await provider.present(R53.challenge(.present, "_acme-challenge.www.sub.example.com", key: "in-child"))
        try await provider.present(R53.challenge(.present, "_acme-challenge.www.example.com", key: "in-parent"))
        try await provider.present(R53.challenge(.present, "_acme-challenge.sub.example.com", key: "child-apex"))
        #expect(emulator.txtValues(at: "_acme-challenge.www.sub.example.com.", inZone: child) == ["\"in-child\""])
        #expect(emulator.txtValues(at: "_acme-challenge.sub.example.com.", inZone: child) == ["\"child-apex\""])
        #expect(emulator.txtValues(at: "_acme-challenge.www.example.com.", inZone: parent) == ["\"in-parent\""])
    }

    @Test("a private zone of the same name is skipped unless hostedZoneID names it")
    func privateZones() async throws {
        let emulator = Self.emulator()
        let publicZone = emulator.addZone("example.com")
        let privateZone = emulator.addZone("internal.example.com", isPrivate: true)
        let provider = try await R53.provider(R53.plugin(emulator))
        try await provider.present(R53.challenge(.present, "_acme-challenge.internal.example.com", key: "k"))
        #expect(emulator.txtValues(at: "_acme-challenge.internal.example.com.", inZone: publicZone) == ["\"k\""])
        let listings = emulator.calls("ListHostedZonesByName")
        let named = try await R53.provider(R53.plugin(emulator), R53.config(["hostedZoneID": .string("/hostedzone/\(privateZone)")]))
        try await named.present(R53.challenge(.present, "_acme-challenge.internal.example.com", key: "k"))
        #expect(emulator.txtValues(at: "_acme-challenge.internal.example.com.", inZone: privateZone) == ["\"k\""])
        #expect(emulator.calls("ListHostedZonesByName") == listings, "a configured zone needs no lookup")
    }

    @Test("the zone list is read page by page (NextDNSName, NextHostedZoneId) until the end")
    func pagination() async throws {
        let emulator = Self.emulator(pageSize: 2)
        for index in 0..<5 { emulator.addZone("example.com", id: "ZPRIV\(index)", isPrivate: true) }
        let publicZone = emulator.addZone("example.com", id: "ZPUBLIC")
        emulator.addZone("other.com")
        emulator.addZone("zzz.example.com")
        let provider = try await R53.provider(R53.plugin(emulator))
        try await provider.present(R53.challenge(.present, "_acme-challenge.example.com", key: "k"))
        #expect(emulator.txtValues(at: "_acme-challenge.example.com.", inZone: publicZone) == ["\"k\""])
        let listings = emulator.requests.filter { $0.url.contains("hostedzonesbyname") }
        // 8 zones, 2 per page.
        #expect(listings.count == 4)
        #expect(listings.dropFirst().allSatisfy { $0.url.contains("dnsname=") && $0.url.contains("hostedzoneid=") })
    }

    @Test("two public zones with one name are refused with advice to set hostedZoneID")
    func ambiguous() async throws {
        let emulator = Self.emulator()
        emulator.addZone("example.com", id: "ZA")
        emulator.addZone("example.com", id: "ZB")
        let provider = try await R53.provider(R53.plugin(emulator))
        let error = try await #require(throws: DNS01Error.self) {
            try await provider.present(R53.challenge(.present, "_acme-challenge.example.com", key: "k"))
        }
        #expect(error.code == .zoneNotFound)
        #expect(error.message.contains("several public hosted zones are named example.com. (ZA, ZB); set hostedZoneID"))
    }

    @Test("no zone for the name is a zoneNotFound error naming the domain; a fresh list is not read again at once")
    func noZone() async throws {
        let emulator = Self.emulator()
        emulator.addZone("example.com")
        let provider = try await R53.provider(R53.plugin(emulator))
        for _ in 0..<2 {
            let error = try await #require(throws: DNS01Error.self) {
                try await provider.present(R53.challenge(.present, "_acme-challenge.example.org", key: "k"))
            }
            #expect(error.code == .zoneNotFound)
            #expect(error.message.contains("no public hosted zone in Route 53 for domain _acme-challenge.example.org."))
        }
        #expect(emulator.calls("ListHostedZonesByName") == 1)
    }

    @Test("a zone created after the list was read is found once the list is older than the refresh-after-miss time")
    func refreshesAfterMiss() async throws {
        let emulator = Self.emulator()
        emulator.addZone("example.com")
        let finder = ZoneFinder<PublicHostedZone>(cache: .init(), reloadOnMissAfter: .milliseconds(50))
        let account = AccountKey(endpoint: "https://route53.test", identity: "s")
        let client = Route53Client(
            endpoint: "https://route53.test", signer: SigV4Signer(credentials: AWSCredentials(accessKeyID: "AKID", secretAccessKey: SecretValue("s")), region: "us-east-1", service: "route53"), sender: AWSRequestSender(transport: emulator))
        let list: @Sendable () async throws -> [PublicHostedZone] = { try await client.publicHostedZones() }
        _ = try await finder.zones(holding: DomainName("www.example.com"), account: account, list: list)
        let newZone = emulator.addZone("example.org")
        try await Task.sleep(for: .milliseconds(80))
        #expect(try await finder.zones(holding: DomainName("www.example.org"), account: account, list: list).matches.first?.zone.id == newZone)
        #expect(emulator.calls("ListHostedZonesByName") == 2)
    }

    @Test("the zone list is cached: 40 challenges over 40 names cost one listing")
    func cached() async throws {
        let emulator = Self.emulator()
        emulator.addZone("example.com")
        let plugin = R53.plugin(emulator)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<40 {
                group.addTask {
                    let provider = try await R53.provider(plugin)
                    try await provider.present(R53.challenge(.present, "_acme-challenge.host\(index).example.com", key: R53.key(index)))
                }
            }
            try await group.waitForAll()
        }
        #expect(emulator.calls("ListHostedZonesByName") == 1)
    }
}
