/// A DNS name in one canonical form: lower-case ASCII, IDN labels as punycode, no trailing dot.
///
/// Every comparison in the project (selector, zone matching, record read-back) goes through
/// this type, so `Example.COM.`, `example.com` and `EXAMPLE.com` are one name, and
/// `bücher.example` equals `xn--bcher-kva.example`.
public struct DomainName: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The canonical text without the trailing dot; empty for the root.
    public let name: String

    /// Parses and normalises `text`. Accepts a trailing dot, upper case, Unicode labels and a
    /// leading `*` label; rejects empty labels, labels over 63 octets, names over 253 octets and
    /// characters that cannot appear in a host or service label.
    public init(_ text: String) throws(DNS01Error) {
        if let canonical = Self.alreadyCanonical(text) {
            self.name = canonical
            return
        }
        var trimmed = Substring(text)
        if trimmed.hasSuffix(".") { trimmed = trimmed.dropLast() }
        if trimmed.isEmpty {
            guard text == "." else { throw DNS01Error(.invalidChallenge, "a domain name is required") }
            self.name = ""
            return
        }
        var labels: [String] = []
        for (index, raw) in trimmed.split(separator: ".", omittingEmptySubsequences: false).enumerated() {
            labels.append(try Self.normalise(label: raw, isFirst: index == 0, in: text))
        }
        let name = labels.joined(separator: ".")
        guard name.utf8.count <= 253 else {
            throw DNS01Error(.invalidChallenge, "domain name \"\(text)\" is longer than 253 characters")
        }
        self.name = name
    }

    /// Wraps text that is already canonical (taken from another `DomainName`).
    init(normalised: String) { self.name = normalised }

    /// The root name `.`.
    public static let root = DomainName(normalised: "")

    /// The name with its trailing dot (`_acme-challenge.example.com.`), as DNS and most APIs write it.
    public var fqdn: String { name + "." }

    public var description: String { fqdn }

    public var isRoot: Bool { name.isEmpty }

    public var labels: [Substring] { name.isEmpty ? [] : name.split(separator: ".") }

    public var labelCount: Int { name.isEmpty ? 0 : name.utf8.reduce(1) { $0 + ($1 == UInt8(ascii: ".") ? 1 : 0) } }

    /// True for `*.example.com`.
    public var isWildcard: Bool { name == "*" || name.hasPrefix("*.") }

    /// The name without a leading `*` label (`*.example.com` → `example.com`).
    public var strippingWildcard: DomainName {
        guard isWildcard else { return self }
        return name == "*" ? .root : DomainName(normalised: String(name.dropFirst(2)))
    }

    /// The name one label up, or `nil` for the root.
    public var parent: DomainName? {
        if name.isEmpty { return nil }
        guard let dot = name.firstIndex(of: ".") else { return .root }
        return DomainName(normalised: String(name[name.index(after: dot)...]))
    }

    /// The name with `label` prepended (`example.com` → `_acme-challenge.example.com`).
    public func prepending(_ label: String) throws(DNS01Error) -> DomainName {
        try DomainName(name.isEmpty ? label : "\(label).\(name)")
    }

    /// True when this name equals `zone` or lies below it at a label boundary
    /// (`a.example.com` is in `example.com`; `notexample.com` is not).
    public func isSubdomain(of zone: DomainName) -> Bool {
        if zone.name.isEmpty || zone.name == name { return true }
        return name.hasSuffix(zone.name) && name.utf8.dropLast(zone.name.utf8.count).last == UInt8(ascii: ".")
    }

    /// The labels of this name left of `zone` (`_acme-challenge.www` for `_acme-challenge.www.example.com`
    /// in `example.com`), `@` for the apex, `nil` when the name is not in the zone. The zone is
    /// removed at the end only, never at an earlier occurrence of the same text.
    public func relativeName(in zone: DomainName) -> String? {
        guard isSubdomain(of: zone) else { return nil }
        if zone.name == name { return "@" }
        if zone.name.isEmpty { return name }
        return String(name.dropLast(zone.name.count + 1))
    }

    /// Every enclosing name from this one up to the top-level label, longest first
    /// (`a.b.c` → `a.b.c`, `b.c`, `c`); the root is not included.
    public var selfAndAncestors: [DomainName] {
        var result: [DomainName] = []
        var current: DomainName? = self
        while let name = current, !name.isRoot {
            result.append(name)
            current = name.parent
        }
        return result
    }

    public static func < (lhs: DomainName, rhs: DomainName) -> Bool {
        lhs.labels.reversed().lexicographicallyPrecedes(rhs.labels.reversed())
    }

    /// `text` without its trailing dot when it is already canonical (lower-case letters,
    /// digits, `-`, `_`; labels of 1 to 63 octets; at most 253 in all), as names from
    /// cert-manager and provider APIs nearly always are; `nil` sends everything else through
    /// the full normalisation, which also produces the error messages.
    private static func alreadyCanonical(_ text: String) -> String? {
        var labelLength = 0
        var length = 0
        var endsWithDot = false
        for byte in text.utf8 {
            length += 1
            endsWithDot = false
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"):
                labelLength += 1
                if labelLength > 63 { return nil }
            case UInt8(ascii: "."):
                if labelLength == 0 { return nil }
                labelLength = 0
                endsWithDot = true
            default:
                return nil
            }
        }
        let nameLength = endsWithDot ? length - 1 : length
        guard nameLength > 0, nameLength <= 253 else { return nil }
        return endsWithDot ? String(text.utf8.dropLast())! : text
    }

    private static func normalise(label raw: Substring, isFirst: Bool, in text: String) throws(DNS01Error) -> String {
        guard !raw.isEmpty else {
            throw DNS01Error(.invalidChallenge, "domain name \"\(text)\" has an empty label")
        }
        if raw == "*" {
            guard isFirst else { throw DNS01Error(.invalidChallenge, "domain name \"\(text)\" has a \"*\" that is not the first label") }
            return "*"
        }
        var ascii: String
        if raw.unicodeScalars.allSatisfy(\.isASCII) {
            ascii = raw.lowercased()
        } else {
            guard let encoded = Punycode.encode(raw.lowercased()) else {
                throw DNS01Error(.invalidChallenge, "domain name \"\(text)\" has a label that cannot be encoded as punycode")
            }
            ascii = "xn--" + encoded
        }
        guard ascii.utf8.count <= 63 else {
            throw DNS01Error(.invalidChallenge, "domain name \"\(text)\" has a label longer than 63 characters")
        }
        for byte in ascii.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "_"):
                continue
            default:
                throw DNS01Error(.invalidChallenge, "domain name \"\(text)\" contains the character \"\(Character(Unicode.Scalar(byte)))\", which is not allowed in a DNS name")
            }
        }
        return ascii
    }
}

extension DomainName {
    /// The Unicode form of the name, decoding `xn--` labels (for messages and for providers that
    /// list domains by their Unicode name).
    public var unicodeName: String {
        labels.map { label -> String in
            if label.hasPrefix("xn--"), let decoded = Punycode.decode(String(label.dropFirst(4))) { return decoded }
            return String(label)
        }.joined(separator: ".")
    }
}
