import Route53Provider
import Testing

@Suite("XML reader")
struct XMLNodeTests {
    @Test("reads nested elements with namespaces, entities, CDATA and a declaration")
    func reads() throws {
        let root = try XMLNode.parse("""
            <?xml version="1.0" encoding="UTF-8"?>
            <!-- a comment -->
            <r:Root xmlns:r="urn:x" a='x>y'><A>1 &amp; 2 &lt;3&gt; &#34;q&#x22;</A><B/><C><![CDATA[<raw>]]></C><A>second</A></r:Root>
            """)
        #expect(root.name == "Root")
        #expect(root.text(at: "A") == "1 & 2 <3> \"q\"")
        #expect(root.children("A").map(\.text) == ["1 & 2 <3> \"q\"", "second"])
        #expect(root.child("B")?.text == "")
        #expect(root.text(at: "C") == "<raw>")
    }

    @Test("rejects mismatched tags and trailing content")
    func rejects() {
        #expect(throws: XMLParseError.self) { try XMLNode.parse("<a><b></a></b>") }
        #expect(throws: XMLParseError.self) { try XMLNode.parse("<a></a><b/>") }
        #expect(throws: XMLParseError.self) { try XMLNode.parse("not xml") }
        #expect(throws: XMLParseError.self) { try XMLNode.parse("<a>&bogus;</a>") }
    }

    @Test("escapes what element content needs and keeps quotes literal")
    func escapes() throws {
        #expect(XMLNode.escape("\"a&b<c>\"") == "\"a&amp;b&lt;c&gt;\"")
        #expect(try XMLNode.parse("<v>\(XMLNode.escape("\"x&<y>\""))</v>").text == "\"x&<y>\"")
        #expect(!XMLNode.isRepresentable("a\u{01}b"))
    }

    @Test("refuses nesting past 64 levels and an end tag without its '>'")
    func refusesDeepNestingAndUnterminatedEndTags() throws {
        // 100,000 levels once overflowed the stack; now it is an error at level 65.
        let deep = String(repeating: "<a>", count: 100_000)
        #expect(throws: XMLParseError.self) { try XMLNode.parse(deep) }
        let sixtyFour = String(repeating: "<a>", count: 64) + String(repeating: "</a>", count: 64)
        #expect(try XMLNode.parse(sixtyFour).name == "a")
        #expect(throws: XMLParseError.self) { try XMLNode.parse(String(repeating: "<a>", count: 65) + String(repeating: "</a>", count: 65)) }
        #expect(throws: XMLParseError.self) { try XMLNode.parse("<a><b></b") }
        #expect(throws: XMLParseError.self) { try XMLNode.parse("<a></a") }
    }
}
