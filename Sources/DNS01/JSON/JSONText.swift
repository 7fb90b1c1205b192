/// JSON written by hand rather than through an encoder: a challenge on a program's stdin, JSON
/// log lines, and the webhook's replies (the request path writes bytes directly).
public enum JSONText {
    /// `text` as a JSON string literal, quotes included, control characters escaped.
    public static func quoted(_ text: String) -> String {
        var utf8: [UInt8] = []
        utf8.reserveCapacity(text.utf8.count + 2)
        write(string: text, into: &utf8)
        return String(decoding: utf8, as: UTF8.self)
    }

    /// Appends `text` as a JSON string literal.
    public static func write(string text: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        if !text.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
            // Nearly every string: nothing to escape, so copy it whole.
            out.append(contentsOf: text.utf8)
            out.append(UInt8(ascii: "\""))
            return
        }
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out.append(contentsOf: #"\""#.utf8)
            case UInt8(ascii: "\\"): out.append(contentsOf: #"\\"#.utf8)
            case UInt8(ascii: "\n"): out.append(contentsOf: #"\n"#.utf8)
            case UInt8(ascii: "\r"): out.append(contentsOf: #"\r"#.utf8)
            case UInt8(ascii: "\t"): out.append(contentsOf: #"\t"#.utf8)
            case 0..<0x20:
                out.append(contentsOf: #"\u00"#.utf8)
                out.append(hexDigits[Int(byte >> 4)])
                out.append(hexDigits[Int(byte & 0xF)])
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)
}

extension ConfigValue {
    /// Appends this value as compact JSON. Object keys are written sorted, so the output is
    /// stable; whole numbers below 10^15 are written without a fraction.
    public func writeJSON(into out: inout [UInt8]) {
        switch self {
        case .null:
            out.append(contentsOf: "null".utf8)
        case .bool(let flag):
            out.append(contentsOf: (flag ? "true" : "false").utf8)
        case .number(let number):
            if number.rounded() == number, abs(number) < 1e15 {
                out.append(contentsOf: String(Int64(number)).utf8)
            } else {
                out.append(contentsOf: number.description.utf8)
            }
        case .string(let text):
            JSONText.write(string: text, into: &out)
        case .array(let values):
            out.append(UInt8(ascii: "["))
            for (index, element) in values.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                element.writeJSON(into: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let fields):
            out.append(UInt8(ascii: "{"))
            for (index, entry) in fields.sorted(by: { $0.key < $1.key }).enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                JSONText.write(string: entry.key, into: &out)
                out.append(UInt8(ascii: ":"))
                entry.value.writeJSON(into: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }
}
