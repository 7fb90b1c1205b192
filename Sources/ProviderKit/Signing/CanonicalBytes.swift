/// Byte-level pieces of canonical requests, shared by the signers: they build the text they hash
/// as bytes, because building it as `String`s (lower-casing names, joining lines, hex digests)
/// costs more than the hashing itself.
extension Array where Element == UInt8 {
    /// Appends `bytes` as lower-case hexadecimal.
    @inlinable
    public mutating func appendLowerHex<Bytes: Sequence<UInt8>>(_ bytes: Bytes) {
        for byte in bytes {
            append(CanonicalBytes.lowerHexDigits[Int(byte >> 4)])
            append(CanonicalBytes.lowerHexDigits[Int(byte & 0xF)])
        }
    }

    /// Appends the UTF-8 of `text` with ASCII letters lower-cased (other bytes as they are).
    @inlinable
    public mutating func appendASCIILowercased(_ text: some StringProtocol) {
        for byte in text.utf8 {
            append(byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte | 0x20 : byte)
        }
    }

    /// Appends the UTF-8 of `text`.
    @inlinable
    public mutating func append(utf8 text: some StringProtocol) {
        append(contentsOf: text.utf8)
    }
}

public enum CanonicalBytes {
    @usableFromInline
    static let lowerHexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    /// Whether `name` equals `lowercaseName` ignoring ASCII case, without allocating.
    @inlinable
    public static func equalsIgnoringASCIICase(_ name: some StringProtocol, _ lowercaseName: some StringProtocol) -> Bool {
        var other = lowercaseName.utf8.makeIterator()
        for byte in name.utf8 {
            guard let expected = other.next() else { return false }
            let lowered = byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte | 0x20 : byte
            if lowered != expected { return false }
        }
        return other.next() == nil
    }

    /// `text` without leading and trailing spaces, tabs, CR and LF, without copying.
    @inlinable
    public static func trimmed(_ text: Substring) -> Substring {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }
        guard let start = text.firstIndex(where: { !isSpace($0) }), let end = text.lastIndex(where: { !isSpace($0) }) else { return "" }
        return text[start...end]
    }
}

extension APIRequest {
    /// The first value of the header `lowercaseName` (given in lower case), compared without
    /// allocating.
    public func value(ofHeader lowercaseName: String) -> String? {
        headers.first { CanonicalBytes.equalsIgnoringASCIICase($0.name, lowercaseName) }?.value
    }

    /// The path (`/` when the URL has none) and the raw query (empty when none) of `url`, as
    /// they go on the wire.
    public var pathAndQuery: (path: Substring, query: Substring) {
        var rest = Substring(url)
        if let scheme = rest.utf8.firstIndex(of: UInt8(ascii: ":")), rest.utf8[scheme...].starts(with: "://".utf8) {
            rest = rest[rest.utf8.index(scheme, offsetBy: 3)...]
        }
        guard let start = rest.utf8.firstIndex(where: { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "?") }) else { return ("/", "") }
        rest = rest[start...]
        if let fragment = rest.utf8.firstIndex(of: UInt8(ascii: "#")) { rest = rest[..<fragment] }
        guard let question = rest.utf8.firstIndex(of: UInt8(ascii: "?")) else { return (rest.isEmpty ? "/" : rest, "") }
        let path = rest[..<question]
        return (path.isEmpty ? "/" : path, rest[rest.utf8.index(after: question)...])
    }
}
