import Crypto
import DNS01
import ProviderKit

/// Huawei Cloud's AK/SK request signature, SDK-HMAC-SHA256 (the API Gateway's "APP" signing that
/// huaweicloudsdkcore uses), as a pure value: a request, keys and a time in; the signed request
/// and every intermediate out. No clock, no I/O, so Huawei's published example and the official
/// SDK's signer test it directly.
///
/// Algorithm (Huawei's "API Signature Guide", and huaweicloudsdkcore's `Signer`):
/// 1. `X-Sdk-Date` is the UTC time `YYYYMMDDTHHMMSSZ`;
/// 2. CanonicalRequest = method, the path (URL-decoded, split on `/`, each segment
///    percent-encoded, joined, and always ending in `/`), the query (pairs decoded, sorted,
///    re-encoded, `k=v&…`), the signed headers as `name:value\n` lines (lower-case names,
///    trimmed values), the signed header names joined by `;`, and the hex SHA-256 of the body
///    (the empty body's hash for no body, or `X-Sdk-Content-Sha256` when set);
/// 3. StringToSign = `SDK-HMAC-SHA256`, `X-Sdk-Date`, the hex SHA-256 of the canonical request;
/// 4. Signature = hex HMAC-SHA256 keyed by the SK itself (no scope, no key derivation), sent as
///    `Authorization: SDK-HMAC-SHA256 Access=<AK>, SignedHeaders=…, Signature=…`.
///
/// Every header on the request whose name has no `_` is signed, as the SDK signs them; so
/// callers sign exactly the headers they send.
public struct SDKHMACSigner: Sendable {
    public static let algorithm = "SDK-HMAC-SHA256"
    static let emptyBodyHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

    public let accessKey: String
    /// The HMAC state keyed with the SK, set up once: each signature continues a copy of it.
    private let keyedMAC: HMAC<SHA256>
    private let securityToken: String?

    public init(accessKey: String, secretKey: some Collection<UInt8>, securityToken: String? = nil) {
        self.accessKey = accessKey
        self.keyedMAC = HMAC<SHA256>(key: SymmetricKey(data: Array(secretKey)))
        self.securityToken = securityToken
    }

    public init(accessKey: String, secretKey: String, securityToken: String? = nil) {
        self.init(accessKey: accessKey, secretKey: Array(secretKey.utf8), securityToken: securityToken)
    }

    /// Everything one signature was computed from (no secret in it), for tests and debugging.
    public struct Signature: Sendable, Hashable {
        public var canonicalRequest: String
        public var stringToSign: String
        public var signedHeaders: String
        public var signature: String
        public var authorization: String
        /// The request with `X-Sdk-Date`, `Host` (if it had none), `X-Security-Token` (temporary
        /// keys) and `Authorization`.
        public var request: APIRequest
    }

    /// Signs `unsigned` at `sdkDate` (`YYYYMMDDTHHMMSSZ`, see `SDKDate`).
    public func sign(_ unsigned: APIRequest, sdkDate: String) -> Signature {
        var request = unsigned
        // A retry signs the same request again: drop the previous attempt's headers first.
        request.headers.removeAll { header in
            Self.ownHeaders.contains { CanonicalBytes.equalsIgnoringASCIICase(header.name, $0) }
        }
        request.headers.append(.init("X-Sdk-Date", sdkDate))
        if let securityToken { request.headers.append(.init("X-Security-Token", securityToken)) }
        if request.value(ofHeader: "host") == nil { request.headers.append(.init("Host", APIRequest.hostOf(request.url))) }

        // Every header without `_`, by lower-case name, the last value winning (the SDK keeps
        // them in a dictionary), sorted by name.
        var signed: [(name: [UInt8], value: Substring)] = []
        signed.reserveCapacity(request.headers.count)
        for header in request.headers where !header.name.utf8.contains(UInt8(ascii: "_")) {
            var name: [UInt8] = []
            name.appendASCIILowercased(header.name)
            let value = CanonicalBytes.trimmed(Substring(header.value))
            if let index = signed.firstIndex(where: { $0.name == name }) {
                signed[index].value = value
            } else {
                signed.append((name, value))
            }
        }
        signed.sort { $0.name.lexicographicallyPrecedes($1.name) }
        var signedList: [UInt8] = []
        for (index, header) in signed.enumerated() {
            if index > 0 { signedList.append(UInt8(ascii: ";")) }
            signedList.append(contentsOf: header.name)
        }

        let (path, query) = request.pathAndQuery
        var canonical: [UInt8] = []
        canonical.reserveCapacity(256 + path.utf8.count * 2 + query.utf8.count * 2)
        canonical.append(utf8: request.method.uppercased())
        canonical.append(UInt8(ascii: "\n"))
        Self.appendCanonicalURI(path, to: &canonical)
        canonical.append(UInt8(ascii: "\n"))
        Self.appendCanonicalQuery(query, to: &canonical)
        canonical.append(UInt8(ascii: "\n"))
        for header in signed {
            canonical.append(contentsOf: header.name)
            canonical.append(UInt8(ascii: ":"))
            canonical.append(utf8: header.value)
            canonical.append(UInt8(ascii: "\n"))
        }
        canonical.append(UInt8(ascii: "\n"))
        canonical.append(contentsOf: signedList)
        canonical.append(UInt8(ascii: "\n"))
        if request.body.isEmpty {
            canonical.append(utf8: Self.emptyBodyHash)
        } else if let declared = request.value(ofHeader: "x-sdk-content-sha256") {
            canonical.append(utf8: declared)
        } else {
            canonical.appendLowerHex(Self.sha256(request.body))
        }

        var toSign: [UInt8] = []
        toSign.reserveCapacity(100)
        toSign.append(utf8: Self.algorithm)
        toSign.append(UInt8(ascii: "\n"))
        toSign.append(utf8: sdkDate)
        toSign.append(UInt8(ascii: "\n"))
        toSign.appendLowerHex(Self.sha256(canonical))

        var mac = keyedMAC
        toSign.withUnsafeBytes { mac.update(data: $0) }
        var signatureHex: [UInt8] = []
        signatureHex.reserveCapacity(64)
        signatureHex.appendLowerHex(mac.finalize())
        let signature = String(decoding: signatureHex, as: UTF8.self)
        let signedHeaders = String(decoding: signedList, as: UTF8.self)
        let authorization = "\(Self.algorithm) Access=\(accessKey), SignedHeaders=\(signedHeaders), Signature=\(signature)"
        request.headers.append(.init("Authorization", authorization))
        return Signature(
            canonicalRequest: String(decoding: canonical, as: UTF8.self),
            stringToSign: String(decoding: toSign, as: UTF8.self),
            signedHeaders: signedHeaders,
            signature: signature,
            authorization: authorization,
            request: request
        )
    }

    /// The headers a signature adds, which signing again replaces.
    private static let ownHeaders = ["authorization", "x-sdk-date", "x-security-token"]

    static func sha256(_ bytes: [UInt8]) -> SHA256.Digest {
        var hasher = SHA256()
        bytes.withUnsafeBytes { hasher.update(bufferPointer: $0) }
        return hasher.finalize()
    }

    /// The path decoded, each `/`-separated segment encoded again (only `A–Z a–z 0–9 - _ . ~`
    /// kept), and a trailing `/` added when missing.
    static func canonicalURI(_ wirePath: String) -> String {
        var bytes: [UInt8] = []
        appendCanonicalURI(Substring(wirePath), to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    static func appendCanonicalURI(_ wirePath: Substring, to output: inout [UInt8]) {
        let start = output.count
        let decoded = percentDecodedBytes(wirePath)
        for (index, segment) in decoded.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false).enumerated() {
            if index > 0 { output.append(UInt8(ascii: "/")) }
            PercentEncoding.appendRFC3986(segment, to: &output)
        }
        if output.count == start || output.last != UInt8(ascii: "/") { output.append(UInt8(ascii: "/")) }
    }

    /// The wire query's pairs, decoded, sorted by name and then value (code point order, as the
    /// SDK sorts them; for UTF-8 that is byte order), and encoded again.
    static func canonicalQuery(_ wireQuery: String) -> String {
        var bytes: [UInt8] = []
        appendCanonicalQuery(Substring(wireQuery), to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    static func appendCanonicalQuery(_ wireQuery: Substring, to output: inout [UInt8]) {
        guard !wireQuery.isEmpty else { return }
        var pairs: [(name: [UInt8], value: [UInt8])] = []
        for pair in wireQuery.utf8.split(separator: UInt8(ascii: "&")) {
            if let equals = pair.firstIndex(of: UInt8(ascii: "=")) {
                pairs.append((percentDecodedBytes(Substring(pair[..<equals])), percentDecodedBytes(Substring(pair[pair.index(after: equals)...]))))
            } else {
                pairs.append((percentDecodedBytes(Substring(pair)), []))
            }
        }
        pairs.sort { $0.name == $1.name ? $0.value.lexicographicallyPrecedes($1.value) : $0.name.lexicographicallyPrecedes($1.name) }
        for (index, pair) in pairs.enumerated() {
            if index > 0 { output.append(UInt8(ascii: "&")) }
            PercentEncoding.appendRFC3986(pair.name, to: &output)
            output.append(UInt8(ascii: "="))
            PercentEncoding.appendRFC3986(pair.value, to: &output)
        }
    }

    /// `%XX` decoded (malformed escapes kept as they are, like Python's `unquote`; `+` is not a
    /// space). Bytes that are not valid UTF-8 become U+FFFD, as `unquote` decodes them.
    static func percentDecodedBytes(_ text: Substring) -> [UInt8] {
        let utf8 = text.utf8
        guard utf8.contains(UInt8(ascii: "%")) else { return Array(utf8) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(utf8.count)
        var index = utf8.startIndex
        while index != utf8.endIndex {
            let byte = utf8[index]
            let next = utf8.index(after: index)
            if byte == UInt8(ascii: "%"), next != utf8.endIndex, let high = hexValue(utf8[next]) {
                let last = utf8.index(after: next)
                if last != utf8.endIndex, let low = hexValue(utf8[last]) {
                    bytes.append(high << 4 | low)
                    index = utf8.index(after: last)
                    continue
                }
            }
            bytes.append(byte)
            index = next
        }
        if String(validating: bytes, as: UTF8.self) == nil {
            bytes = Array(String(decoding: bytes, as: UTF8.self).utf8)
        }
        return bytes
    }

    /// `%XX` decoded, as a string (see `percentDecodedBytes`).
    static func percentDecoded(_ text: Substring) -> String {
        String(decoding: percentDecodedBytes(text), as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        default: nil
        }
    }
}

/// `X-Sdk-Date`: `YYYYMMDDTHHMMSSZ` in UTC, written by hand (exact, locale-free).
public enum SDKDate {
    public static func string(fromEpochSeconds seconds: Int64) -> String {
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = seconds - days * 86_400
        let (year, month, day) = CivilCalendar.date(fromDaysSinceEpoch: Int(days))
        func pad(_ value: Int64, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return "\(pad(Int64(year), 4))\(pad(Int64(month), 2))\(pad(Int64(day), 2))T\(pad(secondOfDay / 3600, 2))\(pad(secondOfDay / 60 % 60, 2))\(pad(secondOfDay % 60, 2))Z"
    }
}
