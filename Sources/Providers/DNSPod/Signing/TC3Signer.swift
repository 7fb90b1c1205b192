import Crypto
import DNS01
import ProviderKit

/// Tencent Cloud API 3.0's request signature, TC3-HMAC-SHA256, as a pure value: a request, keys
/// and a time in; the signed request and every intermediate out. No clock and no I/O, so
/// Tencent's published example and the official SDK's signer test it directly.
///
/// Algorithm (Tencent's "Signature v3" document):
/// 1. CanonicalRequest = method, `/`, the query (GET only; empty for POST), the signed headers
///    as `name:value\n` lines (names and values lower-cased, values trimmed), the signed header
///    names joined by `;`, and the hex SHA-256 of the exact body bytes;
/// 2. StringToSign = `TC3-HMAC-SHA256`, the timestamp, the scope
///    `<UTC date of the timestamp>/<service>/tc3_request`, the hex SHA-256 of the canonical request;
/// 3. key chain: `HMAC("TC3" + SecretKey, date)` → `HMAC(·, service)` → `HMAC(·, "tc3_request")`;
/// 4. Signature = hex HMAC-SHA256 of the string to sign under that key, sent as
///    `Authorization: TC3-HMAC-SHA256 Credential=<SecretId>/<scope>, SignedHeaders=…, Signature=…`.
///
/// The service is the product (`dnspod`, `sts`), never taken from the host, so an emulator on
/// 127.0.0.1 is signed exactly like the real endpoint.
public struct TC3Signer: Sendable {
    public static let algorithm = "TC3-HMAC-SHA256"
    /// What the official SDKs sign; the service accepts any sorted set holding these two.
    public static let defaultSignedHeaders = ["content-type", "host"]

    public let secretId: String
    public let service: String
    /// `TC3` followed by the SecretKey's bytes: the key of the chain's first HMAC.
    private let chainKey: SymmetricKey
    private let sessionToken: String?

    public init(secretId: String, secretKey: some Collection<UInt8>, sessionToken: String? = nil, service: String) {
        self.secretId = secretId
        self.service = service
        self.chainKey = SymmetricKey(data: Array("TC3".utf8) + Array(secretKey))
        self.sessionToken = sessionToken
    }

    public init(secretId: String, secretKey: String, sessionToken: String? = nil, service: String) {
        self.init(secretId: secretId, secretKey: Array(secretKey.utf8), sessionToken: sessionToken, service: service)
    }

    /// Everything one signature was computed from (no secret in it), for tests and debugging.
    public struct Signature: Sendable, Hashable {
        public var canonicalRequest: String
        public var stringToSign: String
        public var signedHeaders: String
        public var signature: String
        public var authorization: String
        /// The request with `X-TC-Timestamp`, `X-TC-Token` (temporary keys) and `Authorization`.
        public var request: APIRequest
    }

    /// Signs `unsigned` at `timestamp` (seconds since the epoch). `signedHeaders` are the header
    /// names to sign (lower-case); each must be on the request, except `host`, which defaults to
    /// the URL's authority.
    public func sign(_ unsigned: APIRequest, timestamp: Int64, signedHeaders: [String] = TC3Signer.defaultSignedHeaders) -> Signature {
        var request = unsigned
        // A retry signs the same request again: drop the previous attempt's headers first.
        request.headers.removeAll { ["authorization", "x-tc-timestamp", "x-tc-token"].contains($0.name.lowercased()) }
        request.headers.append(.init("X-TC-Timestamp", String(timestamp)))
        if let sessionToken { request.headers.append(.init("X-TC-Token", sessionToken)) }

        let date = Self.date(ofEpochSeconds: timestamp)
        let names = Set(signedHeaders.map { $0.lowercased() }).sorted()
        let signedList = names.joined(separator: ";")
        var headerBlock = ""
        for name in names {
            let value = request.header(name) ?? (name == "host" ? APIRequest.hostOf(request.url) : "")
            headerBlock += "\(name):\(value.trimmingWhitespace().lowercased())\n"
        }
        let method = request.method.uppercased()
        let (path, query) = Self.pathAndQuery(of: request.url)
        let payload: [UInt8] = request.header("x-tc-content-sha256") == "UNSIGNED-PAYLOAD" ? Array("UNSIGNED-PAYLOAD".utf8) : request.body
        let canonicalRequest = [
            method, path, method == "GET" ? query : "", headerBlock, signedList, Self.sha256Hex(payload),
        ].joined(separator: "\n")

        let scope = "\(date)/\(service)/tc3_request"
        let stringToSign = "\(Self.algorithm)\n\(timestamp)\n\(scope)\n\(Self.sha256Hex(Array(canonicalRequest.utf8)))"
        let signature = signature(of: stringToSign, date: date)
        let authorization = "\(Self.algorithm) Credential=\(secretId)/\(scope), SignedHeaders=\(signedList), Signature=\(signature)"
        request.headers.append(.init("Authorization", authorization))
        return Signature(
            canonicalRequest: canonicalRequest, stringToSign: stringToSign, signedHeaders: signedList,
            signature: signature, authorization: authorization, request: request
        )
    }

    /// The hex signature of a given string to sign (steps 3 and 4), for vectors that publish it.
    public func signature(of stringToSign: String, date: String) -> String {
        Array(HMAC<SHA256>.authenticationCode(for: Array(stringToSign.utf8), using: signingKey(date: date))).hexString
    }

    /// kSigning = HMAC(HMAC(HMAC("TC3" + SecretKey, date), service), "tc3_request").
    func signingKey(date: String) -> SymmetricKey {
        var key = chainKey
        for part in [date, service, "tc3_request"] {
            key = SymmetricKey(data: Array(HMAC<SHA256>.authenticationCode(for: Array(part.utf8), using: key)))
        }
        return key
    }

    /// `YYYY-MM-DD`, the UTC date of a Unix time.
    public static func date(ofEpochSeconds seconds: Int64) -> String {
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let (year, month, day) = CivilCalendar.date(fromDaysSinceEpoch: Int(days))
        func pad(_ value: Int, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }

    static func sha256Hex(_ bytes: [UInt8]) -> String {
        Array(SHA256.hash(data: bytes)).hexString
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
