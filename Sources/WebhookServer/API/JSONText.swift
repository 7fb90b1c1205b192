import DNS01
import Foundation

/// JSON to and from `ConfigValue` for the request path. Decoding `ConfigValue` through
/// `Codable` tries each JSON type in turn and throws for every miss, which made payload
/// decoding the largest cost of a challenge request; `JSONSerialization` parses the same
/// grammar (and limits nesting) in a fraction of the time. Writing is a direct walk.
enum JSONText {
    struct ParseError: Error, CustomStringConvertible {
        let description: String
    }

    static func parse(_ bytes: some Collection<UInt8>) throws(ParseError) -> ConfigValue {
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])
        } catch {
            let detail = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String
            throw ParseError(description: detail ?? "\(error)")
        }
        return try value(object)
    }

    private static func value(_ object: Any) throws(ParseError) -> ConfigValue {
        switch object {
        case is NSNull:
            return .null
        case let text as String:
            return .string(text)
        case let number as NSNumber:
            // JSON booleans arrive as NSNumber of Objective-C type "c".
            if String(cString: number.objCType) == "c" { return .bool(number.boolValue) }
            return .number(number.doubleValue)
        case let list as [Any]:
            var values: [ConfigValue] = []
            values.reserveCapacity(list.count)
            for element in list { values.append(try value(element)) }
            return .array(values)
        case let fields as [String: Any]:
            var values: [String: ConfigValue] = [:]
            values.reserveCapacity(fields.count)
            for (key, element) in fields { values[key] = try value(element) }
            return .object(values)
        default:
            throw ParseError(description: "unexpected JSON value \(type(of: object))")
        }
    }

    /// Appends `value` as JSON; object keys are written sorted, so output is stable.
    static func write(_ value: ConfigValue, into out: inout [UInt8]) {
        switch value {
        case .null:
            out += Array("null".utf8)
        case .bool(let flag):
            out += Array((flag ? "true" : "false").utf8)
        case .number(let number):
            if number.rounded() == number, abs(number) < 1e15 {
                out += Array(String(Int64(number)).utf8)
            } else {
                out += Array("\(number)".utf8)
            }
        case .string(let text):
            write(string: text, into: &out)
        case .array(let values):
            out.append(UInt8(ascii: "["))
            for (index, element) in values.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                write(element, into: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let fields):
            out.append(UInt8(ascii: "{"))
            for (index, key) in fields.keys.sorted().enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                write(string: key, into: &out)
                out.append(UInt8(ascii: ":"))
                write(fields[key]!, into: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    static func write(string: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for byte in string.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out += [UInt8(ascii: "\\"), UInt8(ascii: "\"")]
            case UInt8(ascii: "\\"): out += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
            case UInt8(ascii: "\n"): out += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
            case UInt8(ascii: "\r"): out += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
            case UInt8(ascii: "\t"): out += [UInt8(ascii: "\\"), UInt8(ascii: "t")]
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                out += Array("\\u00".utf8) + [hex[Int(byte >> 4)], hex[Int(byte & 0xF)]]
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}
