import DNS01

/// A JSON text (RFC 8259) that could not be read: what is wrong and the byte offset where.
struct JSONParseError: Error, Sendable, Equatable, CustomStringConvertible {
    let message: String
    /// Offset of the offending byte from the start of the text.
    let offset: Int

    init(message: String, offset: Int) {
        self.message = message
        self.offset = offset
    }

    var description: String { "\(message) at byte \(offset)" }
}

extension ConfigValue {
    /// Parses one JSON value, surrounded by optional whitespace, from UTF-8 `bytes`.
    ///
    /// The ChallengePayload parser, written for the request path: a single pass over contiguous
    /// bytes with no intermediate `Any` tree (JSONSerialization plus bridging casts cost more
    /// than the rest of a challenge request together). Strict on grammar (RFC 8259: no comments, trailing
    /// commas, leading zeros or bare words) and on UTF-8; like Go's `encoding/json`, duplicate
    /// keys keep the last value and an unpaired `\u` surrogate becomes U+FFFD.
    init(json bytes: some Collection<UInt8>) throws(JSONParseError) {
        let parse = { (buffer: UnsafeRawBufferPointer) in Result { () throws(JSONParseError) in try JSONParser.parse(buffer, recordingMembers: false).value } }
        let result = bytes.withContiguousStorageIfAvailable { parse(UnsafeRawBufferPointer($0)) }
            ?? Array(bytes).withUnsafeBytes(parse)
        self = try result.get()
    }
}

extension ConfigValue {
    /// Parses JSON like `init(json:)` and also reports where each member of the top-level
    /// object lies in `bytes` (offsets from the first byte), so a caller can echo a member
    /// exactly as it was sent. The ranges are empty unless the text is an object.
    static func parseRecordingMembers(json bytes: some Collection<UInt8>) throws(JSONParseError) -> (value: ConfigValue, members: [String: Range<Int>]) {
        let parse = { (buffer: UnsafeRawBufferPointer) in
            Result { () throws(JSONParseError) in try JSONParser.parse(buffer, recordingMembers: true) }
        }
        let result = bytes.withContiguousStorageIfAvailable { parse(UnsafeRawBufferPointer($0)) }
            ?? Array(bytes).withUnsafeBytes(parse)
        return try result.get()
    }
}

/// The parser behind `ConfigValue(json:)`: a cursor over the bytes.
struct JSONParser {
    /// Deeper nesting is refused rather than recursed into (a hostile body must not exhaust the
    /// stack); Kubernetes objects are nowhere near this deep.
    static let maximumDepth = 512

    private let bytes: UnsafeRawBufferPointer
    private var index = 0
    private var depth = 0
    /// Where the top-level object's members' values lie, when asked for.
    private var members: [String: Range<Int>]?

    private init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    static func parse(_ bytes: UnsafeRawBufferPointer, recordingMembers: Bool) throws(JSONParseError) -> (value: ConfigValue, members: [String: Range<Int>]) {
        var parser = JSONParser(bytes)
        if recordingMembers { parser.members = [:] }
        parser.skipWhitespace()
        guard parser.index < bytes.count else {
            throw JSONParseError(message: bytes.isEmpty ? "empty JSON text" : "no JSON value, only whitespace", offset: parser.index)
        }
        let value = try parser.value()
        parser.skipWhitespace()
        guard parser.index == bytes.count else {
            throw parser.error("unexpected \(parser.describe(parser.index)) after the JSON value")
        }
        return (value, parser.members ?? [:])
    }

    // MARK: Values

    private mutating func value() throws(JSONParseError) -> ConfigValue {
        guard index < bytes.count else { throw error("unexpected end of JSON text") }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try object()
        case UInt8(ascii: "["): return try array()
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try number())
        default: throw error("unexpected \(describe(index)); expected a JSON value")
        }
    }

    private mutating func object() throws(JSONParseError) -> ConfigValue {
        try enter()
        index += 1  // {
        skipWhitespace()
        if peek() == UInt8(ascii: "}") {
            index += 1
            depth -= 1
            return .object([:])
        }
        // Members are collected first so the dictionary is made once at its final size.
        var members: [(String, ConfigValue)] = []
        while true {
            skipWhitespace()
            guard peek() == UInt8(ascii: "\"") else { throw error("unexpected \(describe(index)); expected an object key (a string)") }
            let key = try string()
            skipWhitespace()
            guard peek() == UInt8(ascii: ":") else { throw error("unexpected \(describe(index)); expected ':' after an object key") }
            index += 1
            skipWhitespace()
            let start = index
            members.append((key, try value()))
            if depth == 1, self.members != nil { self.members?[key] = start..<index }
            skipWhitespace()
            switch peek() {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "}"):
                index += 1
                depth -= 1
                // Duplicate keys: the last one wins, as in Go's encoding/json.
                return .object(Dictionary(members, uniquingKeysWith: { _, last in last }))
            default: throw error("unexpected \(describe(index)); expected ',' or '}' in an object")
            }
        }
    }

    private mutating func array() throws(JSONParseError) -> ConfigValue {
        try enter()
        index += 1  // [
        var elements: [ConfigValue] = []
        skipWhitespace()
        if peek() == UInt8(ascii: "]") {
            index += 1
            depth -= 1
            return .array(elements)
        }
        while true {
            skipWhitespace()
            elements.append(try value())
            skipWhitespace()
            switch peek() {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "]"):
                index += 1
                depth -= 1
                return .array(elements)
            default: throw error("unexpected \(describe(index)); expected ',' or ']' in a list")
            }
        }
    }

    private mutating func enter() throws(JSONParseError) {
        depth += 1
        guard depth <= Self.maximumDepth else { throw error("JSON nested deeper than \(Self.maximumDepth) levels") }
    }

    private mutating func literal(_ word: StaticString) throws(JSONParseError) {
        let start = index
        let count = word.utf8CodeUnitCount
        guard count <= bytes.count - index,
              memcmpEqual(word.utf8Start, bytes.baseAddress! + index, count)
        else { throw JSONParseError(message: "unexpected \(describe(start)); expected a JSON value", offset: start) }
        index += count
    }

    // MARK: Strings

    /// A string from its opening quote: the unescaped ASCII run is copied as is; escapes and
    /// non-ASCII bytes take the slower path (which validates UTF-8).
    private mutating func string() throws(JSONParseError) -> String {
        index += 1  // "
        let start = index
        var plainASCII = true
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                let run = UnsafeRawBufferPointer(rebasing: bytes[start..<index])
                index += 1
                if plainASCII { return String(decoding: run, as: UTF8.self) }
                guard let text = String(validating: run, as: UTF8.self) else {
                    throw JSONParseError(message: "a string is not valid UTF-8", offset: start)
                }
                return text
            }
            if byte == UInt8(ascii: "\\") { return try escapedString(from: start) }
            if byte < 0x20 { throw error("control character \(describe(index)) in a string (it must be escaped)") }
            if byte >= 0x80 { plainASCII = false }
            index += 1
        }
        throw JSONParseError(message: "unterminated string", offset: start - 1)
    }

    /// The rest of a string that has escapes, collected as UTF-8 bytes.
    private mutating func escapedString(from start: Int) throws(JSONParseError) -> String {
        var utf8: [UInt8] = []
        utf8.reserveCapacity(index - start + 16)
        utf8.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[start..<index]))
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                guard let text = String(validating: utf8, as: UTF8.self) else {
                    throw JSONParseError(message: "a string is not valid UTF-8", offset: start)
                }
                return text
            case UInt8(ascii: "\\"):
                index += 1
                guard index < bytes.count else { break }
                let escape = bytes[index]
                index += 1
                switch escape {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): utf8.append(escape)
                case UInt8(ascii: "b"): utf8.append(0x08)
                case UInt8(ascii: "f"): utf8.append(0x0C)
                case UInt8(ascii: "n"): utf8.append(0x0A)
                case UInt8(ascii: "r"): utf8.append(0x0D)
                case UInt8(ascii: "t"): utf8.append(0x09)
                case UInt8(ascii: "u"): appendUTF8(try unicodeEscape(), to: &utf8)
                default: throw JSONParseError(message: "invalid escape \\\(printable(escape)) in a string", offset: index - 2)
                }
            case 0..<0x20:
                throw error("control character \(describe(index)) in a string (it must be escaped)")
            default:
                utf8.append(byte)
                index += 1
            }
        }
        throw JSONParseError(message: "unterminated string", offset: start - 1)
    }

    /// The scalar of a `\uXXXX` escape (just past the `u`), joining a surrogate pair.
    private mutating func unicodeEscape() throws(JSONParseError) -> Unicode.Scalar {
        let first = try hex4()
        switch first {
        case 0xD800...0xDBFF:
            // A high surrogate is only meaningful followed by \u and a low surrogate.
            if index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") {
                let mark = index
                index += 2
                let second = try hex4()
                if (0xDC00...0xDFFF).contains(second) {
                    return Unicode.Scalar(0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00))!
                }
                index = mark  // not a pair: the next escape stands on its own
            }
            return "\u{FFFD}"
        case 0xDC00...0xDFFF:
            return "\u{FFFD}"
        default:
            return Unicode.Scalar(first)!
        }
    }

    private mutating func hex4() throws(JSONParseError) -> UInt32 {
        guard bytes.count - index >= 4 else { throw JSONParseError(message: "incomplete \\u escape", offset: index - 2) }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw error("invalid hex digit \(describe(index)) in a \\u escape")
            }
            value = value << 4 | UInt32(digit)
            index += 1
        }
        return value
    }

    private func appendUTF8(_ scalar: Unicode.Scalar, to utf8: inout [UInt8]) {
        UTF8.encode(scalar) { utf8.append($0) }
    }

    // MARK: Numbers

    /// A number by the RFC 8259 grammar. Integers of up to 15 digits are exact without
    /// conversion; anything else goes through the standard library's correctly rounded parse.
    private mutating func number() throws(JSONParseError) -> Double {
        let start = index
        var negative = false
        if bytes[index] == UInt8(ascii: "-") {
            negative = true
            index += 1
        }
        guard index < bytes.count, isDigit(bytes[index]) else { throw error("invalid number: expected a digit after '-'") }
        var integer: Int64 = 0
        var digits = 0
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
            if index < bytes.count, isDigit(bytes[index]) { throw JSONParseError(message: "invalid number: leading zero", offset: start) }
        } else {
            while index < bytes.count, isDigit(bytes[index]) {
                if digits < 15 { integer = integer * 10 + Int64(bytes[index] - UInt8(ascii: "0")) }
                digits += 1
                index += 1
            }
        }
        var isInteger = digits <= 15
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            isInteger = false
            index += 1
            guard index < bytes.count, isDigit(bytes[index]) else { throw error("invalid number: expected a digit after '.'") }
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            isInteger = false
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard index < bytes.count, isDigit(bytes[index]) else { throw error("invalid number: expected a digit in the exponent") }
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        }
        if isInteger {
            return negative ? -Double(integer) : Double(integer)
        }
        let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        guard let value = Double(text), value.isFinite else {
            throw JSONParseError(message: "number \(text) is out of range", offset: start)
        }
        return value
    }

    private func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    // MARK: Cursor

    private func peek() -> UInt8? { index < bytes.count ? bytes[index] : nil }

    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: " "), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "\t"): index += 1
            default: return
            }
        }
    }

    private func error(_ message: String) -> JSONParseError {
        JSONParseError(message: message, offset: index)
    }

    /// The byte at `offset` as a message shows it: `'x'`, `byte 0xC3`, or "end of JSON text".
    private func describe(_ offset: Int) -> String {
        guard offset < bytes.count else { return "end of JSON text" }
        let byte = bytes[offset]
        return (0x21..<0x7F).contains(byte) ? "'\(printable(byte))'" : "byte 0x\(String(byte, radix: 16, uppercase: true))"
    }

    private func printable(_ byte: UInt8) -> String {
        (0x21..<0x7F).contains(byte) ? String(UnicodeScalar(byte)) : "0x\(String(byte, radix: 16, uppercase: true))"
    }
}

private func memcmpEqual(_ left: UnsafePointer<UInt8>, _ right: UnsafeRawPointer, _ count: Int) -> Bool {
    for offset in 0..<count where left[offset] != right.load(fromByteOffset: offset, as: UInt8.self) {
        return false
    }
    return true
}
