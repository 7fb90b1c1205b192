/// The challenge as flat text fields, for providers that hand it to another process (`exec`'s
/// stdin and environment, `http`'s request body), so both describe it the same way.
extension Challenge {
    /// `action` (`present` or `cleanup`, lego's words), `fqdn` and `zone` with their trailing
    /// dot (`zone` empty when unknown), `value` (the TXT value), `domain`, `namespace`, `uid`.
    public var outOfProcessFields: [(name: String, value: String)] {
        [
            ("action", action == .present ? "present" : "cleanup"),
            ("fqdn", resolvedFQDN.fqdn),
            ("value", key),
            ("domain", dnsName.name),
            ("zone", resolvedZone?.fqdn ?? ""),
            ("namespace", resourceNamespace),
            ("uid", uid),
        ]
    }
}

extension Challenge {
    /// `outOfProcessFields` as one JSON object on one line, keys in a fixed order.
    public var outOfProcessJSON: String {
        "{" + outOfProcessFields.map { "\(Self.jsonString($0.name)):\(Self.jsonString($0.value))" }.joined(separator: ",") + "}"
    }

    private static func jsonString(_ text: String) -> String {
        var escaped = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": escaped += "\\\""
            case "\\": escaped += "\\\\"
            case "\n": escaped += "\\n"
            case "\r": escaped += "\\r"
            case "\t": escaped += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                escaped += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped + "\""
    }
}
