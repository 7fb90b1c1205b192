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
    private let key: SymmetricKey
    private let securityToken: String?

    public init(accessKey: String, secretKey: some Collection<UInt8>, securityToken: String? = nil) {
        self.accessKey = accessKey
        self.key = SymmetricKey(data: Array(secretKey))
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
        request.headers.removeAll { ["authorization", "x-sdk-date", "x-security-token"].contains($0.name.lowercased()) }
        request.headers.append(.init("X-Sdk-Date", sdkDate))
        if let securityToken { request.headers.append(.init("X-Security-Token", securityToken)) }
        if request.header("host") == nil { request.headers.append(.init("Host", APIRequest.hostOf(request.url))) }

        // One value per name, the last one winning, as the SDK's header dictionary keeps them.
        var values: [String: String] = [:]
        for header in request.headers where !header.name.contains("_") {
            values[header.name.lowercased()] = header.value.trimmingWhitespace()
        }
        let names = values.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        let signedList = names.joined(separator: ";")
        let headerBlock = names.map { "\($0):\(values[$0]!)\n" }.joined()
        let (path, query) = Self.pathAndQuery(of: request.url)
        let payloadHash: String
        if request.body.isEmpty {
            payloadHash = Self.emptyBodyHash
        } else if let declared = request.header("x-sdk-content-sha256") {
            payloadHash = declared
        } else {
            payloadHash = Array(SHA256.hash(data: request.body)).hexString
        }
        let canonicalRequest = [
            request.method.uppercased(), Self.canonicalURI(path), Self.canonicalQuery(query), headerBlock, signedList, payloadHash,
        ].joined(separator: "\n")

        let stringToSign = "\(Self.algorithm)\n\(sdkDate)\n\(Array(SHA256.hash(data: Array(canonicalRequest.utf8))).hexString)"
        let signature = Array(HMAC<SHA256>.authenticationCode(for: Array(stringToSign.utf8), using: key)).hexString
        let authorization = "\(Self.algorithm) Access=\(accessKey), SignedHeaders=\(signedList), Signature=\(signature)"
        request.headers.append(.init("Authorization", authorization))
        return Signature(
            canonicalRequest: canonicalRequest, stringToSign: stringToSign, signedHeaders: signedList,
            signature: signature, authorization: authorization, request: request
        )
    }

    /// The path decoded, each `/`-separated segment encoded again (only `A–Z a–z 0–9 - _ . ~`
    /// kept), and a trailing `/` added when missing.
    static func canonicalURI(_ wirePath: String) -> String {
        let decoded = percentDecoded(Substring(wirePath))
        let encoded = decoded.split(separator: "/", omittingEmptySubsequences: false)
            .map { PercentEncoding.rfc3986(String($0)) }
            .joined(separator: "/")
        return encoded.hasSuffix("/") ? encoded : encoded + "/"
    }

    /// The wire query's pairs, decoded, sorted by name and then value (code point order, as the
    /// SDK sorts them), and encoded again.
    static func canonicalQuery(_ wireQuery: String) -> String {
        guard !wireQuery.isEmpty else { return "" }
        let pairs = wireQuery.split(separator: "&").map { pair -> (String, String) in
            guard let equals = pair.firstIndex(of: "=") else { return (percentDecoded(pair), "") }
            return (percentDecoded(pair[..<equals]), percentDecoded(pair[pair.index(after: equals)...]))
        }
        // Code point order, and code point equality: Swift's `==` on strings would treat `é`
        // and `e\u{301}` as one name, which the SDK sorts apart.
        return pairs.sorted { lhs, rhs in
            lhs.0.unicodeScalars.elementsEqual(rhs.0.unicodeScalars)
                ? lhs.1.unicodeScalars.lexicographicallyPrecedes(rhs.1.unicodeScalars)
                : lhs.0.unicodeScalars.lexicographicallyPrecedes(rhs.0.unicodeScalars)
        }
        .map { PercentEncoding.rfc3986($0.0) + "=" + PercentEncoding.rfc3986($0.1) }
        .joined(separator: "&")
    }

    /// `%XX` decoded (malformed escapes kept as they are, like Python's `unquote`; `+` is not a
    /// space), invalid UTF-8 replaced.
    static func percentDecoded(_ text: Substring) -> String {
        var bytes: [UInt8] = []
        let utf8 = Array(text.utf8)
        var index = 0
        while index < utf8.count {
            if utf8[index] == UInt8(ascii: "%"), index + 2 < utf8.count, let high = hexValue(utf8[index + 1]), let low = hexValue(utf8[index + 2]) {
                bytes.append(high << 4 | low)
                index += 3
            } else {
                bytes.append(utf8[index])
                index += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        default: nil
        }
    }

    /// The path (`/` when empty) and the raw query of an absolute URL.
    static func pathAndQuery(of url: String) -> (path: String, query: String) {
        var rest = Substring(url)
        if let range = rest.range(of: "://") { rest = rest[range.upperBound...] }
        guard let start = rest.firstIndex(where: { $0 == "/" || $0 == "?" }) else { return ("/", "") }
        rest = rest[start...]
        if let fragment = rest.firstIndex(of: "#") { rest = rest[..<fragment] }
        let question = rest.firstIndex(of: "?")
        let path = question.map { rest[..<$0] } ?? rest
        let query = question.map { rest[rest.index(after: $0)...] } ?? ""
        return (path.isEmpty ? "/" : String(path), String(query))
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
