import DNS01
import TestSupport
import Testing

/// The rfc2136 provider against a real authoritative server, every change seen through real
/// DNS queries rather than the provider's own read-back.
@Suite("rfc2136 provider against Knot", .serialized)
struct RFC2136KnotTests {
    static let fqdn = "_acme-challenge.www.example.com"

    @Test(
        "present adds the value beside the existing one; cleanup removes only it",
        arguments: [
            ("HMACMD5", "hmac-md5"), ("HMACSHA1", "hmac-sha1"), ("HMACSHA256", "hmac-sha256"),
            ("hmacsha384", "hmac-sha384"), ("HMACSHA512", "hmac-sha512"),
        ])
    func presentAndCleanUp(configName: String, knotName: String) async throws {
        let fixture = try await KnotFixture(algorithm: knotName)
        defer { fixture.stop() }
        let provider = try await fixture.provider(fixture.config(algorithm: configName))
        try await provider.present(KnotFixture.challenge(.present, "key-A"))
        #expect(try await fixture.dnsValues(Self.fqdn) == ["unrelated", "key-A"])
        try await provider.cleanUp(KnotFixture.challenge(.cleanUp, "key-A"))
        #expect(try await fixture.dnsValues(Self.fqdn) == ["unrelated"])
    }

    @Test("two keys on one name, each present and cleanup idempotent, over UDP and over TCP", arguments: ["UDP", "TCP"])
    func twoKeysOnOneName(transport: String) async throws {
        let fixture = try await KnotFixture()
        defer { fixture.stop() }
        let provider = try await fixture.provider(fixture.config(transport: transport))
        try await provider.present(KnotFixture.challenge(.present, "key-A"))
        try await provider.present(KnotFixture.challenge(.present, "key-B"))
        try await provider.present(KnotFixture.challenge(.present, "key-A"))
        #expect(try await fixture.dnsValues(Self.fqdn) == ["unrelated", "key-A", "key-B"])
        #expect(Set(try await provider.txtValues(at: DomainName(Self.fqdn), zone: nil)) == ["unrelated", "key-A", "key-B"])

        try await provider.cleanUp(KnotFixture.challenge(.cleanUp, "key-B"))
        try await provider.cleanUp(KnotFixture.challenge(.cleanUp, "key-B"))
        #expect(try await fixture.dnsValues(Self.fqdn) == ["unrelated", "key-A"])
        try await provider.cleanUp(KnotFixture.challenge(.cleanUp, "key-A"))
        #expect(try await fixture.dnsValues(Self.fqdn) == ["unrelated"])
    }

    @Test("a value longer than 255 bytes is split into character-strings and deleted exactly")
    func longValue() async throws {
        let fixture = try await KnotFixture()
        defer { fixture.stop() }
        let provider = try await fixture.provider(fixture.config())
        let long = String(repeating: "x", count: 300) + "-end"
        try await provider.present(KnotFixture.challenge(.present, long))
        #expect(try await fixture.dnsValues(Self.fqdn) == ["unrelated", long])
        try await provider.cleanUp(KnotFixture.challenge(.cleanUp, long))
        #expect(try await fixture.dnsValues(Self.fqdn) == ["unrelated"])
    }

    @Test("the zone comes from the server's SOA, so a name in a sub-zone updates that zone, whatever the hint")
    func zoneFromServer() async throws {
        let fixture = try await KnotFixture()
        defer { fixture.stop() }
        let provider = try await fixture.provider(fixture.config())
        // cert-manager's public SOA lookup may name a parent zone; the server knows better.
        try await provider.present(KnotFixture.challenge(.present, "in-sub", domain: "www.sub.example.com", zone: "example.com"))
        #expect(try await fixture.dnsValues("_acme-challenge.www.sub.example.com") == ["in-sub"])
        try await provider.cleanUp(KnotFixture.challenge(.cleanUp, "in-sub", domain: "www.sub.example.com"))
        #expect(try await fixture.dnsValues("_acme-challenge.www.sub.example.com") == [])
    }

    @Test("a wrong TSIG secret is refused with BADSIG, and nothing changes")
    func wrongSecret() async throws {
        let fixture = try await KnotFixture()
        defer { fixture.stop() }
        let provider = try await fixture.provider(fixture.config(secretKey: "other"))
        let error = await #expect(throws: DNS01Error.self) { try await provider.present(KnotFixture.challenge(.present, "key-A")) }
        #expect(error?.code == .providerRejected)
        #expect(error?.message == "rfc2136: nameserver \(fixture.knot.address) refused the TSIG key \"acme-update\" (hmac-sha256) for the UPDATE of zone example.com: BADSIG; check tsigKeyName, tsigAlgorithm and the secret")
        #expect(try await fixture.dnsValues(Self.fqdn) == ["unrelated"])
    }

    @Test("an unknown key name is refused with BADKEY, a wrong algorithm too")
    func wrongKeyName() async throws {
        let fixture = try await KnotFixture()
        defer { fixture.stop() }
        for config in [fixture.config(keyName: "nobody"), fixture.config(algorithm: "HMACSHA512")] {
            let provider = try await fixture.provider(config)
            let error = await #expect(throws: DNS01Error.self) { try await provider.present(KnotFixture.challenge(.present, "key-A")) }
            #expect(error?.message.contains("refused the TSIG key") == true && error?.message.contains(": BADKEY;") == true, "\(String(describing: error))")
        }
        #expect(try await fixture.dnsValues(Self.fqdn) == ["unrelated"])
    }

    @Test("an unsigned update to a server that requires a key is refused, with a hint about the key")
    func unsigned() async throws {
        let fixture = try await KnotFixture()
        defer { fixture.stop() }
        let provider = try await fixture.provider(["nameserver": .string(fixture.knot.address)])
        let error = await #expect(throws: DNS01Error.self) { try await provider.present(KnotFixture.challenge(.present, "key-A")) }
        #expect(error?.message.contains("to the UPDATE of zone example.com") == true, "\(String(describing: error))")
        #expect(error?.message.contains("tsigKeyName") == true, "\(error?.message ?? "")")
    }

    @Test("a name in no zone of the server is a clear zoneNotFound")
    func noZone() async throws {
        let fixture = try await KnotFixture()
        defer { fixture.stop() }
        let provider = try await fixture.provider(fixture.config())
        let error = await #expect(throws: DNS01Error.self) { try await provider.present(KnotFixture.challenge(.present, "k", domain: "www.example.org")) }
        #expect(error?.code == .zoneNotFound)
    }
}
