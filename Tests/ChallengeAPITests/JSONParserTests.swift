import DNS01
import Foundation
import Testing
import TestSupport
@testable import ChallengeAPI

@Suite("JSON parsing and writing of ConfigValue")
struct JSONParserTests {
    private func parse(_ text: String) throws(JSONParseError) -> ConfigValue {
        try ConfigValue(json: Array(text.utf8))
    }

    @Test("valid JSON texts give the values they spell", arguments: [
        (#"{"a": 1, "b": [true, false, null], "c": {"d": "e"}}"#, ConfigValue.object(["a": 1, "b": [true, false, nil], "c": ["d": "e"]])),
        (" \t\r\n[] ", .array([])),
        ("{}", .object([:])),
        (#""""#, .string("")),
        ("0", .number(0)),
        ("-0", .number(-0.0)),
        ("-12.5e2", .number(-1250)),
        ("1E+2", .number(100)),
        ("0.1", .number(0.1)),
        ("123456789012345678", .number(1.2345678901234568e17)),
        ("1e308", .number(1e308)),
        (#""\"\\\/\b\f\n\r\t""#, .string("\"\\/\u{8}\u{c}\n\r\t")),
        (#""\u00e9\u2713 é✓ \ud83d\ude00""#, .string("é✓ é✓ 😀")),
        (#""\ud800""#, .string("\u{FFFD}")),
        (#""\udc00x""#, .string("\u{FFFD}x")),
        (#""\ud800\u0041""#, .string("\u{FFFD}A")),
        (#"{"k": 1, "k": 2}"#, .object(["k": 2])),
        (#"[[[["deep"]]]]"#, .array([.array([.array([.array(["deep"])])])])),
    ])
    func valid(text: String, expected: ConfigValue) throws {
        #expect(try parse(text) == expected)
    }

    @Test("invalid JSON is refused with a message that says what and where", arguments: [
        ("", "empty JSON text at byte 0"),
        ("   ", "no JSON value, only whitespace at byte 3"),
        ("hello", "unexpected 'h'; expected a JSON value at byte 0"),
        ("tru", "unexpected 't'; expected a JSON value at byte 0"),
        ("nul", "unexpected 'n'; expected a JSON value at byte 0"),
        (#"{"a": 1"#, "unexpected end of JSON text; expected ',' or '}' in an object at byte 7"),
        (#"{"a" 1}"#, "unexpected '1'; expected ':' after an object key at byte 5"),
        (#"{a: 1}"#, "unexpected 'a'; expected an object key (a string) at byte 1"),
        (#"{"a": 1,}"#, "unexpected '}'; expected an object key (a string) at byte 8"),
        ("[1,]", "unexpected ']'; expected a JSON value at byte 3"),
        ("[1 2]", "unexpected '2'; expected ',' or ']' in a list at byte 3"),
        ("{} x", "unexpected 'x' after the JSON value at byte 3"),
        ("01", "invalid number: leading zero at byte 0"),
        ("1.", "invalid number: expected a digit after '.' at byte 2"),
        (".5", "unexpected '.'; expected a JSON value at byte 0"),
        ("+1", "unexpected '+'; expected a JSON value at byte 0"),
        ("-", "invalid number: expected a digit after '-' at byte 1"),
        ("1e", "invalid number: expected a digit in the exponent at byte 2"),
        ("1e309", "number 1e309 is out of range at byte 0"),
        (#""abc"#, "unterminated string at byte 0"),
        (#""a\x""#, "invalid escape \\x in a string at byte 2"),
        (#""\u12G4""#, "invalid hex digit 'G' in a \\u escape at byte 5"),
        (#""\u12""#, "incomplete \\u escape at byte 1"),
        ("\"a\nb\"", "control character byte 0xA in a string (it must be escaped) at byte 2"),
        ("// comment\n{}", "unexpected '/'; expected a JSON value at byte 0"),
    ])
    func invalid(text: String, message: String) {
        #expect(throws: JSONParseError.self) { try parse(text) }
        do {
            _ = try parse(text)
        } catch {
            #expect(error.description == message)
        }
    }

    @Test("bytes that are not UTF-8 are refused, in a string and outside one")
    func invalidUTF8() {
        let inString: [UInt8] = Array(#"{"k": ""#.utf8) + [0xC3, 0x28] + Array(#""}"#.utf8)
        #expect(throws: JSONParseError(message: "a string is not valid UTF-8", offset: 7)) { try ConfigValue(json: inString) }
        let escapedThenInvalid: [UInt8] = Array(#""\n"#.utf8) + [0xFF] + Array(#"""#.utf8)
        #expect(throws: JSONParseError(message: "a string is not valid UTF-8", offset: 1)) { try ConfigValue(json: escapedThenInvalid) }
        #expect(throws: JSONParseError.self) { try ConfigValue(json: [0xEF, 0xBB, 0xBF] + Array("{}".utf8)) }
    }

    @Test("nesting is limited to 512 levels")
    func depth() throws {
        let limit = 512
        _ = try parse(String(repeating: "[", count: limit) + String(repeating: "]", count: limit))
        let tooDeep = String(repeating: "[", count: limit + 1) + String(repeating: "]", count: limit + 1)
        #expect(throws: JSONParseError(message: "JSON nested deeper than 512 levels", offset: limit)) { try parse(tooDeep) }
        // 100k levels: refused without exhausting the stack.
        #expect(throws: JSONParseError.self) { try parse(String(repeating: #"{"a":"#, count: 100_000)) }
    }

    @Test("the top-level members' byte ranges are reported, nested ones are not")
    func memberRanges() throws {
        let text = #" {"a" : [1, {"b": 2}] ,"c":"x\"y", "d" : {} } "#
        let bytes = Array(text.utf8)
        let (value, members) = try ConfigValue.parseRecordingMembers(json: bytes)
        #expect(value["c"] == "x\"y")
        #expect(Set(members.keys) == ["a", "c", "d"])
        let slices = members.mapValues { String(decoding: bytes[$0], as: UTF8.self) }
        #expect(slices == ["a": #"[1, {"b": 2}]"#, "c": #""x\"y""#, "d": "{}"])
        #expect(try ConfigValue.parseRecordingMembers(json: Array("[1]".utf8)).members.isEmpty)
    }

    @Test("a non-contiguous collection parses like its bytes")
    func nonContiguous() throws {
        let bytes = Array(#"{"a": ["b", 2]}"#.utf8)
        #expect(try ConfigValue(json: bytes.lazy.map { $0 }) == ["a": ["b", 2]])
    }

    /// Differential against Foundation's JSONSerialization, an independent implementation:
    /// random documents it writes are parsed to the same values, and what `writeJSON` writes it
    /// reads back to the same values.
    @Test("random documents agree with JSONSerialization both ways")
    func differential() throws {
        var generator = SplitMix64(seed: 0x5eed_1234)
        for _ in 0..<400 {
            let value = ConfigValue.random(depth: 0, using: &generator)
            let foundationBytes = try JSONSerialization.data(withJSONObject: value.foundationObject, options: [.fragmentsAllowed])
            #expect(try ConfigValue(json: Array(foundationBytes)) == value)

            var written: [UInt8] = []
            value.writeJSON(into: &written)
            #expect(try ConfigValue(json: written) == value)
            // corelibs Foundation's reader is not correctly rounded (it reads the shortest
            // round-trip text of some doubles a few units in the last place off; Python's
            // float() agrees with ours), so numbers are compared to 1e-15 in this direction.
            let reread = try JSONSerialization.jsonObject(with: Data(written), options: [.fragmentsAllowed])
            #expect(ConfigValue(foundation: reread).matches(value, relativeTolerance: 1e-15), "\(String(decoding: written, as: UTF8.self))")
        }
    }

    @Test("writeJSON writes object keys sorted and whole numbers without a fraction")
    func writerShape() {
        var out: [UInt8] = []
        ConfigValue.object(["b": 1, "a": [.number(1.5), -2, "x\u{1}"], "c": nil]).writeJSON(into: &out)
        #expect(String(decoding: out, as: UTF8.self) == #"{"a":[1.5,-2,"x\u0001"],"b":1,"c":null}"#)
        #expect(JSONText.quoted("tab\there \"q\" \\ é") == #""tab\there \"q\" \\ é""#)
    }
}

extension ConfigValue {
    static func random(depth: Int, using generator: inout SplitMix64) -> ConfigValue {
        let choice = Int.random(in: 0..<(depth >= 4 ? 4 : 6), using: &generator)
        switch choice {
        case 0: return .null
        case 1: return .bool(Bool.random(using: &generator))
        case 2:
            return Bool.random(using: &generator)
                ? .number(Double(Int.random(in: -1_000_000...1_000_000, using: &generator)))
                : .number(Double.random(in: -1e6...1e6, using: &generator))
        case 3: return .string(randomString(using: &generator))
        case 4: return .array((0..<Int.random(in: 0...4, using: &generator)).map { _ in random(depth: depth + 1, using: &generator) })
        default:
            var fields: [String: ConfigValue] = [:]
            for _ in 0..<Int.random(in: 0...4, using: &generator) {
                fields[randomString(using: &generator)] = random(depth: depth + 1, using: &generator)
            }
            return .object(fields)
        }
    }

    private static func randomString(using generator: inout SplitMix64) -> String {
        let pool: [Character] = ["a", "Z", "0", " ", "\"", "\\", "/", "\n", "\t", "\u{1}", "\u{1F}", "\u{7F}", "é", "✓", "😀", "\u{FFFD}", "中"]
        return String((0..<Int.random(in: 0...12, using: &generator)).map { _ in pool.randomElement(using: &generator)! })
    }

    /// Equal, except that numbers may differ by `relativeTolerance` of their magnitude.
    func matches(_ other: ConfigValue, relativeTolerance: Double) -> Bool {
        switch (self, other) {
        case (.number(let left), .number(let right)):
            return abs(left - right) <= relativeTolerance * max(abs(left), abs(right))
        case (.array(let left), .array(let right)):
            return left.count == right.count && zip(left, right).allSatisfy { $0.matches($1, relativeTolerance: relativeTolerance) }
        case (.object(let left), .object(let right)):
            return left.count == right.count && left.allSatisfy { key, value in right[key].map { value.matches($0, relativeTolerance: relativeTolerance) } ?? false }
        default:
            return self == other
        }
    }

    var foundationObject: Any {
        switch self {
        case .null: NSNull()
        case .bool(let flag): flag
        case .number(let number): number
        case .string(let text): text
        case .array(let values): values.map(\.foundationObject)
        case .object(let fields): fields.mapValues(\.foundationObject)
        }
    }

    init(foundation object: Any) {
        switch object {
        case is NSNull: self = .null
        case let text as String: self = .string(text)
        case let number as NSNumber:
            self = String(cString: number.objCType) == "c" ? .bool(number.boolValue) : .number(number.doubleValue)
        case let list as [Any]: self = .array(list.map { ConfigValue(foundation: $0) })
        case let fields as [String: Any]: self = .object(fields.mapValues { ConfigValue(foundation: $0) })
        default: self = .string("unexpected \(type(of: object))")
        }
    }
}
