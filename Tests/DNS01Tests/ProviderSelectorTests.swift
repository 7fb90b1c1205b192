import DNS01
import Testing

@Suite("ProviderSelector")
struct ProviderSelectorTests {
    typealias Selector = ProviderSelector<String>

    func name(_ text: String) -> DomainName { try! DomainName(text) }

    func rule(_ label: String, names: [String] = [], zones: [String] = []) -> Selector.Rule {
        Selector.Rule(label: label, dnsNames: names.map(name), dnsZones: zones.map(name), value: label)
    }

    @Test("an exact dnsNames match beats any zone, however long")
    func exactBeatsZones() throws {
        let selector = try Selector(rules: [
            rule("zone", zones: ["www.example.com", "example.com"]),
            rule("exact", names: ["www.example.com"]),
        ])
        #expect(selector.select(name("www.example.com"))?.value == "exact")
        #expect(selector.select(name("www.example.com"))?.reason == .dnsName(name("www.example.com")))
        #expect(selector.select(name("a.www.example.com"))?.value == "zone")
    }

    @Test("the longest matching zone wins, whatever the order of entries")
    func longestZoneWins() throws {
        for rules in [
            [rule("short", zones: ["example.com"]), rule("long", zones: ["shop.example.com"])],
            [rule("long", zones: ["shop.example.com"]), rule("short", zones: ["example.com"])],
        ] {
            let selector = try Selector(rules: rules)
            #expect(selector.select(name("a.shop.example.com"))?.value == "long")
            #expect(selector.select(name("shop.example.com"))?.value == "long")
            #expect(selector.select(name("www.example.com"))?.value == "short")
            #expect(selector.select(name("a.shop.example.com"))?.reason == .dnsZone(name("shop.example.com")))
        }
    }

    @Test("zones match at label boundaries only: notexample.com is not in example.com")
    func labelBoundary() throws {
        let selector = try Selector(rules: [rule("zone", zones: ["example.com"])])
        #expect(selector.select(name("notexample.com")) == nil)
        #expect(selector.select(name("example.com.evil.org")) == nil)
        #expect(selector.select(name("example.com"))?.value == "zone")
        #expect(selector.select(name("x.example.com"))?.value == "zone")
    }

    @Test("the fallback entry serves what nothing else matches, and only that")
    func fallback() throws {
        let selector = try Selector(rules: [rule("fallback"), rule("zone", zones: ["example.com"])])
        #expect(selector.select(name("example.org"))?.value == "fallback")
        #expect(selector.select(name("example.org"))?.reason == .fallback)
        #expect(selector.select(name("www.example.com"))?.value == "zone")
    }

    @Test("no match and no fallback gives nil")
    func noMatch() throws {
        let selector = try Selector(rules: [rule("zone", zones: ["example.com"])])
        #expect(selector.select(name("example.net")) == nil)
    }

    @Test("wildcard domains match zones with *. stripped, and dnsNames only as written")
    func wildcard() throws {
        let selector = try Selector(rules: [
            rule("zone", zones: ["example.com"]),
            rule("wild", names: ["*.shop.example.com"]),
        ])
        #expect(selector.select(name("*.example.com"))?.value == "zone")
        #expect(selector.select(name("*.shop.example.com"))?.value == "wild")
        #expect(selector.select(name("shop.example.com"))?.value == "zone")
    }

    @Test(
        "case and trailing dots do not matter, on either side",
        arguments: [
            "WWW.Example.COM", "www.example.com.", "Www.EXAMPLE.com.",
        ])
    func caseAndDots(domain: String) throws {
        let selector = try Selector(rules: [rule("zone", zones: ["Example.COM."]), rule("exact", names: ["WWW.EXAMPLE.COM."])])
        #expect(selector.select(name(domain))?.value == "exact")
        #expect(selector.select(name("Mail." + domain))?.value == "zone")
    }

    @Test("IDN zones and punycode domains are the same name")
    func idn() throws {
        let selector = try Selector(rules: [rule("idn", zones: ["bücher.example"])])
        #expect(selector.select(name("www.xn--bcher-kva.example"))?.value == "idn")
        #expect(selector.select(name("WWW.BÜCHER.example"))?.value == "idn")
    }

    @Test("two entries with the same zone are rejected when the selector is built")
    func zoneTie() {
        #expect(throws: DNS01Error.self) {
            try Selector(rules: [rule("providers[0]", zones: ["example.com"]), rule("providers[2]", zones: ["EXAMPLE.com."])])
        }
        do {
            _ = try Selector(rules: [rule("providers[0]", zones: ["example.com"]), rule("providers[2]", zones: ["example.com"])])
            Issue.record("expected a tie error")
        } catch {
            #expect(error.code == .invalidConfiguration)
            #expect(error.message == "dnsZones \"example.com\" is listed by both providers[0] and providers[2]; a zone may select one entry only")
        }
    }

    @Test("two entries with the same dnsName are rejected")
    func nameTie() {
        #expect(throws: DNS01Error.self) {
            try Selector(rules: [rule("a", names: ["www.example.com"]), rule("b", names: ["www.example.com"])])
        }
    }

    @Test("two fallback entries are rejected")
    func fallbackTie() {
        do {
            _ = try Selector(rules: [rule("providers[0]"), rule("providers[1]")])
            Issue.record("expected a tie error")
        } catch {
            #expect(error.message == "providers[0] and providers[1] both have no selector; only one fallback entry is allowed")
        }
    }

    @Test("one entry may list a zone twice, or a name and its zone")
    func sameEntryRepeatsAreFine() throws {
        let selector = try Selector(rules: [rule("a", names: ["example.com"], zones: ["example.com", "example.com"])])
        #expect(selector.select(name("example.com"))?.value == "a")
    }

    @Test("100k zones: every zone selects its own entry, and near misses select nothing")
    func manyZones() throws {
        let count = 100_000
        let rules = (0..<count).map { rule("z\($0)", zones: ["zone\($0).example"]) }
        let selector = try Selector(rules: rules)
        for index in stride(from: 0, to: count, by: 997) {
            #expect(selector.select(name("_acme-challenge.www.zone\(index).example"))?.value == "z\(index)")
            #expect(selector.select(name("xzone\(index).example")) == nil)
        }
    }
}
