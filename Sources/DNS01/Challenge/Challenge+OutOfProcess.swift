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
        "{" + outOfProcessFields.map { "\(JSONText.quoted($0.name)):\(JSONText.quoted($0.value))" }.joined(separator: ",") + "}"
    }
}
