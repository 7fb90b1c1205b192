/// A parsed XML element: what Route53 and STS answer with. Namespaces are dropped (both APIs use
/// one default namespace), attributes are ignored (neither API puts data in them).
///
/// A hand-written reader instead of Foundation's `XMLParser`, which on Linux would pull
/// libxml2 into the runtime image for documents this simple.
public struct XMLNode: Sendable, Hashable {
    public var name: String
    public var text: String
    public var children: [XMLNode]

    public init(name: String, text: String = "", children: [XMLNode] = []) {
        self.name = name
        self.text = text
        self.children = children
    }

    /// The first child called `name`.
    public func child(_ name: String) -> XMLNode? { children.first { $0.name == name } }

    /// Every child called `name`.
    public func children(_ name: String) -> [XMLNode] { children.filter { $0.name == name } }

    /// The node at a path of child names (`["ChangeInfo", "Id"]`).
    public func node(at path: [String]) -> XMLNode? {
        var node: XMLNode? = self
        for name in path { node = node?.child(name) }
        return node
    }

    /// The text of the node at `path`, or `nil` when absent.
    public func text(at path: String...) -> String? { node(at: path)?.text }
}

public struct XMLParseError: Error, Sendable, CustomStringConvertible {
    public let description: String
}

extension XMLNode {
    /// Parses a document and returns its root element.
    public static func parse(_ bytes: [UInt8]) throws(XMLParseError) -> XMLNode {
        var reader = XMLReader(bytes: bytes)
        return try reader.document()
    }

    public static func parse(_ text: String) throws(XMLParseError) -> XMLNode { try parse(Array(text.utf8)) }

    /// `text` with `&`, `<` and `>` escaped for element content. Quotes stay literal, as Route53
    /// expects them in TXT values.
    public static func escape(_ text: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(text.utf8.count)
        for character in text.unicodeScalars {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            default: escaped.unicodeScalars.append(character)
            }
        }
        return escaped
    }

    /// Whether `text` can be element content at all (XML 1.0 forbids most control characters).
    public static func isRepresentable(_ text: String) -> Bool {
        text.unicodeScalars.allSatisfy { scalar in
            scalar == "\t" || scalar == "\n" || scalar == "\r" || (scalar.value >= 0x20 && scalar.value != 0xFFFE && scalar.value != 0xFFFF)
        }
    }
}

private struct XMLReader {
    /// Deeper nesting is refused rather than recursed into (a hostile body must not exhaust the
    /// stack); Route53 and STS answers are six levels deep.
    static let maximumDepth = 64

    let bytes: [UInt8]
    var index = 0
    var depth = 0

    init(bytes: [UInt8]) { self.bytes = bytes }

    mutating func document() throws(XMLParseError) -> XMLNode {
        skipMisc()
        guard index < bytes.count, bytes[index] == UInt8(ascii: "<") else { throw fail("no root element") }
        let root = try element()
        skipMisc()
        guard index == bytes.count else { throw fail("content after the root element") }
        return root
    }

    /// Skips whitespace, the XML declaration, processing instructions, comments and a doctype.
    mutating func skipMisc() {
        while true {
            while index < bytes.count, isSpace(bytes[index]) { index += 1 }
            if starts(with: "<?") { skip(past: "?>") }
            else if starts(with: "<!--") { skip(past: "-->") }
            else if starts(with: "<!DOCTYPE") { skip(past: ">") }
            else { return }
        }
    }

    mutating func element() throws(XMLParseError) -> XMLNode {
        depth += 1
        defer { depth -= 1 }
        guard depth <= Self.maximumDepth else { throw fail("elements nested deeper than \(Self.maximumDepth) levels") }
        index += 1  // "<"
        let name = localName(readName())
        guard !name.isEmpty else { throw fail("an element without a name") }
        // Attributes: skipped, minding quoted values that may contain ">".
        var quote: UInt8?
        while index < bytes.count {
            let byte = bytes[index]
            if let open = quote {
                if byte == open { quote = nil }
            } else if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
                quote = byte
            } else if byte == UInt8(ascii: ">") {
                break
            }
            index += 1
        }
        guard index < bytes.count else { throw fail("unterminated start tag <\(name)>") }
        let selfClosing = bytes[index - 1] == UInt8(ascii: "/")
        index += 1
        var node = XMLNode(name: name)
        if selfClosing { return node }
        var text: [UInt8] = []
        while true {
            guard index < bytes.count else { throw fail("unterminated element <\(name)>") }
            if starts(with: "</") {
                index += 2
                let closing = localName(readName())
                guard closing == name else { throw fail("</\(closing)> closes <\(name)>") }
                while index < bytes.count, bytes[index] != UInt8(ascii: ">") { index += 1 }
                guard index < bytes.count else { throw fail("unterminated end tag </\(closing)>") }
                index += 1
                node.text = String(decoding: text, as: UTF8.self)
                return node
            } else if starts(with: "<![CDATA[") {
                index += 9
                let start = index
                skip(past: "]]>")
                text += bytes[start..<max(start, index - 3)]
            } else if starts(with: "<!--") || starts(with: "<?") {
                skipMisc()
            } else if bytes[index] == UInt8(ascii: "<") {
                node.children.append(try element())
            } else if bytes[index] == UInt8(ascii: "&") {
                text += try entity()
            } else {
                text.append(bytes[index])
                index += 1
            }
        }
    }

    mutating func entity() throws(XMLParseError) -> [UInt8] {
        let start = index
        while index < bytes.count, bytes[index] != UInt8(ascii: ";"), index - start < 12 { index += 1 }
        guard index < bytes.count, bytes[index] == UInt8(ascii: ";") else { throw fail("an unterminated entity") }
        let name = String(decoding: bytes[(start + 1)..<index], as: UTF8.self)
        index += 1
        switch name {
        case "lt": return Array("<".utf8)
        case "gt": return Array(">".utf8)
        case "amp": return Array("&".utf8)
        case "quot": return Array("\"".utf8)
        case "apos": return Array("'".utf8)
        default:
            let value: UInt32?
            if name.hasPrefix("#x") { value = UInt32(name.dropFirst(2), radix: 16) }
            else if name.hasPrefix("#") { value = UInt32(name.dropFirst(), radix: 10) }
            else { value = nil }
            guard let value, let scalar = Unicode.Scalar(value) else { throw fail("an unknown entity &\(name);") }
            return Array(String(scalar).utf8)
        }
    }

    mutating func readName() -> String {
        let start = index
        while index < bytes.count, !isSpace(bytes[index]), bytes[index] != UInt8(ascii: ">"), bytes[index] != UInt8(ascii: "/") { index += 1 }
        return String(decoding: bytes[start..<index], as: UTF8.self)
    }

    func localName(_ name: String) -> String {
        name.split(separator: ":").last.map(String.init) ?? name
    }

    func starts(with prefix: StaticString) -> Bool {
        let count = prefix.utf8CodeUnitCount
        guard index + count <= bytes.count else { return false }
        return prefix.withUTF8Buffer { buffer in buffer.elementsEqual(bytes[index..<index + count]) }
    }

    mutating func skip(past terminator: StaticString) {
        while index < bytes.count, !starts(with: terminator) { index += 1 }
        index = min(bytes.count, index + terminator.utf8CodeUnitCount)
    }

    func isSpace(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") || byte == UInt8(ascii: "\t")
    }

    func fail(_ problem: String) -> XMLParseError {
        XMLParseError(description: "malformed XML at byte \(index): \(problem)")
    }
}
