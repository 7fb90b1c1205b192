import Testing

@testable import DNS01

@Suite("DomainName")
struct DomainNameTests {
    @Test("normalises case and the trailing dot")
    func normalisation() throws {
        #expect(try DomainName("Example.COM.") == DomainName("example.com"))
        #expect(try DomainName("Example.COM.").fqdn == "example.com.")
        #expect(try DomainName("Example.COM.").name == "example.com")
        #expect(try DomainName(".") == .root)
    }

    @Test(
        "rejects malformed names with a message naming the problem",
        arguments: [
            ("", "a domain name is required"),
            ("a..b", "domain name \"a..b\" has an empty label"),
            ("a.*.b", "domain name \"a.*.b\" has a \"*\" that is not the first label"),
            ("exa mple.com", "domain name \"exa mple.com\" contains the character \" \", which is not allowed in a DNS name"),
            (String(repeating: "a", count: 64) + ".com", "domain name \"\(String(repeating: "a", count: 64)).com\" has a label longer than 63 characters"),
        ])
    func rejects(text: String, message: String) {
        #expect(throws: DNS01Error(.invalidChallenge, message)) { try DomainName(text) }
    }

    @Test("rejects names over 253 characters")
    func tooLong() {
        let label = String(repeating: "a", count: 60)
        #expect(throws: DNS01Error.self) { try DomainName(Array(repeating: label, count: 5).joined(separator: ".")) }
        #expect(throws: Never.self) { try DomainName(Array(repeating: label, count: 4).joined(separator: ".")) }
    }

    @Test("subdomain tests respect label boundaries")
    func subdomains() throws {
        let zone = try DomainName("example.com")
        #expect(try DomainName("a.example.com").isSubdomain(of: zone))
        #expect(try DomainName("example.com").isSubdomain(of: zone))
        #expect(try !DomainName("notexample.com").isSubdomain(of: zone))
        #expect(try !DomainName("com").isSubdomain(of: zone))
        #expect(try DomainName("x.y").isSubdomain(of: .root))
    }

    @Test("relative names cut the zone at the end only")
    func relativeNames() throws {
        let zone = try DomainName("example.com")
        #expect(try DomainName("_acme-challenge.www.example.com").relativeName(in: zone) == "_acme-challenge.www")
        #expect(try DomainName("example.com").relativeName(in: zone) == "@")
        #expect(try DomainName("example.com.example.com").relativeName(in: zone) == "example.com")
        #expect(try DomainName("example.org").relativeName(in: zone) == nil)
    }

    @Test("wildcards are recognised and stripped")
    func wildcards() throws {
        let name = try DomainName("*.Example.com")
        #expect(name.isWildcard)
        #expect(name.strippingWildcard == (try DomainName("example.com")))
        #expect(try Challenge.recordName(for: name).fqdn == "_acme-challenge.example.com.")
    }

    @Test("ancestors run from the name up to the top-level label")
    func ancestors() throws {
        #expect(try DomainName("a.b.c").selfAndAncestors.map(\.name) == ["a.b.c", "b.c", "c"])
        #expect(try DomainName("a.b.c").labelCount == 3)
        #expect(DomainName.root.labelCount == 0)
    }

    @Test(
        "IDN labels become punycode and back",
        arguments: [
            ("bücher.example", "xn--bcher-kva.example"),
            ("münchen.de", "xn--mnchen-3ya.de"),
            ("例え.テスト", "xn--r8jz45g.xn--zckzah"),
            ("ÄÖÜ.de", "xn--4ca0bs.de"),
        ])
    func punycode(unicode: String, ascii: String) throws {
        let name = try DomainName(unicode)
        #expect(name.name == ascii)
        #expect(name == (try DomainName(ascii)))
        #expect(name.unicodeName == unicode.lowercased())
    }

    @Test("RFC 3492 sample strings round-trip")
    func rfc3492Samples() {
        // RFC 3492 §7.1 (L) and (B), lower-cased as IDNA does.
        #expect(Punycode.encode("3年b組金八先生") == "3b-ww4c5e180e575a65lsy2b")
        #expect(Punycode.decode("3b-ww4c5e180e575a65lsy2b") == "3年b組金八先生")
        #expect(Punycode.encode("他们为什么不说中文") == "ihqwcrb4cv8a8dqg056pqjye")
        #expect(Punycode.decode("ihqwcrb4cv8a8dqg056pqjye") == "他们为什么不说中文")
        #expect(Punycode.decode("!!") == nil)
    }
}

@Suite("TXTRecord")
struct TXTRecordTests {
    @Test("quotes and escapes values, splitting at 255 bytes")
    func quoting() {
        #expect(TXTRecord.quoted("abc") == "\"abc\"")
        #expect(TXTRecord.quoted("a\"b\\c") == "\"a\\\"b\\\\c\"")
        let long = String(repeating: "x", count: 300)
        #expect(TXTRecord.quoted(long) == "\"\(String(repeating: "x", count: 255))\" \"\(String(repeating: "x", count: 45))\"")
        #expect(TXTRecord.unquoted(TXTRecord.quoted(long)) == long)
        #expect(TXTRecord.unquoted("\"a\\\"b\"") == "a\"b")
        #expect(TXTRecord.unquoted("bare") == "bare")
    }

    /// Canonical names skip normalisation; upper-casing a name forces the full path, so the
    /// two must agree on every name, valid or not (length limits, empty labels, dots).
    @Test("the canonical fast path and full normalisation agree")
    func fastPathAgreesWithNormalisation() {
        let label63 = String(repeating: "a", count: 63)
        let names = [
            "example.com", "example.com.", "_acme-challenge.www.example.com.", "a", "a.", "0-9_x.y",
            label63 + ".com", label63 + "b.com", String(repeating: "a.", count: 126) + "a", String(repeating: "a.", count: 127) + "a",
            String(repeating: "ab.", count: 84) + "c", "", ".", "..", "a..b", ".a", "a.b..", "-a.com", "a-.com",
        ]
        for name in names {
            let fast = Result { () throws(DNS01Error) in try DomainName(name) }
            let full = Result { () throws(DNS01Error) in try DomainName(name.uppercased()) }
            switch (fast, full) {
            case (.success(let left), .success(let right)):
                #expect(left == right, "\(name)")
            case (.failure, .failure):
                break
            default:
                Issue.record("\(name): fast path gave \(fast), full normalisation gave \(full)")
            }
        }
    }
}
