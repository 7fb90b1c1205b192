import Crypto
import DNS01
import ProviderKit
import Synchronization

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
    /// The signing key depends only on the key, the service and the date, so a signer derives
    /// it once per day instead of once per request (three HMACs and four key setups saved per
    /// signature). A memo of a pure function: the output never depends on what it holds.
    private let memo: TC3KeyMemo

    public init(secretId: String, secretKey: some Collection<UInt8>, sessionToken: String? = nil, service: String) {
        self.init(secretId: secretId, secretKey: secretKey, sessionToken: sessionToken, service: service, memo: TC3KeyMemo())
    }

    public init(secretId: String, secretKey: String, sessionToken: String? = nil, service: String) {
        self.init(secretId: secretId, secretKey: Array(secretKey.utf8), sessionToken: sessionToken, service: service)
    }

    /// A signer whose derived keys are kept in `memo` (one per set of keys and service).
    init(secretId: String, secretKey: some Collection<UInt8>, sessionToken: String?, service: String, memo: TC3KeyMemo) {
        self.secretId = secretId
        self.service = service
        self.chainKey = SymmetricKey(data: Array("TC3".utf8) + Array(secretKey))
        self.sessionToken = sessionToken
        self.memo = memo
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
    /// names to sign; each must be on the request, except `host`, which defaults to the URL's
    /// authority.
    public func sign(_ unsigned: APIRequest, timestamp: Int64, signedHeaders: [String] = TC3Signer.defaultSignedHeaders) -> Signature {
        var request = unsigned
        // A retry signs the same request again: drop the previous attempt's headers first.
        request.headers.removeAll { header in
            Self.ownHeaders.contains { CanonicalBytes.equalsIgnoringASCIICase(header.name, $0) }
        }
        let timestampText = String(timestamp)
        request.headers.append(.init("X-TC-Timestamp", timestampText))
        if let sessionToken { request.headers.append(.init("X-TC-Token", sessionToken)) }

        let names = signedHeaders == Self.defaultSignedHeaders ? signedHeaders : Set(signedHeaders.map { $0.lowercased() }).sorted()
        let signedList = names.joined(separator: ";")
        let method = request.method.uppercased()
        let (path, query) = request.pathAndQuery

        var canonical: [UInt8] = []
        canonical.reserveCapacity(160 + path.utf8.count + query.utf8.count + signedList.utf8.count)
        canonical.append(utf8: method)
        canonical.append(UInt8(ascii: "\n"))
        canonical.append(utf8: path)
        canonical.append(UInt8(ascii: "\n"))
        if method == "GET" { canonical.append(utf8: query) }
        canonical.append(UInt8(ascii: "\n"))
        for name in names {
            let value = request.value(ofHeader: name) ?? (name == "host" ? APIRequest.hostOf(request.url) : "")
            let trimmed = CanonicalBytes.trimmed(Substring(value))
            canonical.append(utf8: name)
            canonical.append(UInt8(ascii: ":"))
            if trimmed.utf8.allSatisfy({ $0 < 0x80 }) {
                canonical.appendASCIILowercased(trimmed)
            } else {
                canonical.append(utf8: trimmed.lowercased())
            }
            canonical.append(UInt8(ascii: "\n"))
        }
        canonical.append(UInt8(ascii: "\n"))
        canonical.append(utf8: signedList)
        canonical.append(UInt8(ascii: "\n"))
        if request.value(ofHeader: "x-tc-content-sha256") == "UNSIGNED-PAYLOAD" {
            canonical.appendLowerHex(SHA256.hash(data: Array("UNSIGNED-PAYLOAD".utf8)))
        } else {
            canonical.appendLowerHex(Self.sha256(request.body))
        }

        let date = Self.date(ofEpochSeconds: timestamp)
        let scope = "\(date)/\(service)/tc3_request"
        var toSign: [UInt8] = []
        toSign.reserveCapacity(128 + scope.utf8.count)
        toSign.append(utf8: Self.algorithm)
        toSign.append(UInt8(ascii: "\n"))
        toSign.append(utf8: timestampText)
        toSign.append(UInt8(ascii: "\n"))
        toSign.append(utf8: scope)
        toSign.append(UInt8(ascii: "\n"))
        toSign.appendLowerHex(Self.sha256(canonical))

        var signatureHex: [UInt8] = []
        signatureHex.reserveCapacity(64)
        signatureHex.appendLowerHex(mac(of: toSign, date: date))
        let signature = String(decoding: signatureHex, as: UTF8.self)
        let authorization = "\(Self.algorithm) Credential=\(secretId)/\(scope), SignedHeaders=\(signedList), Signature=\(signature)"
        request.headers.append(.init("Authorization", authorization))
        return Signature(
            canonicalRequest: String(decoding: canonical, as: UTF8.self),
            stringToSign: String(decoding: toSign, as: UTF8.self),
            signedHeaders: signedList,
            signature: signature,
            authorization: authorization,
            request: request
        )
    }

    /// The headers a signature adds, which signing again replaces.
    private static let ownHeaders = ["authorization", "x-tc-timestamp", "x-tc-token"]

    /// The hex signature of a given string to sign (steps 3 and 4), for vectors that publish it.
    public func signature(of stringToSign: String, date: String) -> String {
        var hex: [UInt8] = []
        hex.appendLowerHex(mac(of: Array(stringToSign.utf8), date: date))
        return String(decoding: hex, as: UTF8.self)
    }

    /// HMAC-SHA256 of `message` under the day's signing key: a copy of the HMAC state keyed
    /// once per day, so the key is not set up again for every signature.
    private func mac(of message: [UInt8], date: String) -> HashedAuthenticationCode<SHA256> {
        var mac = memo.keyedMAC(service: service, date: date) { HMAC<SHA256>(key: signingKey(date: date)) }
        message.withUnsafeBytes { mac.update(data: $0) }
        return mac.finalize()
    }

    /// kSigning = HMAC(HMAC(HMAC("TC3" + SecretKey, date), service), "tc3_request").
    func signingKey(date: String) -> SymmetricKey {
        var key = chainKey
        for part in [date, service, "tc3_request"] {
            key = SymmetricKey(data: Array(HMAC<SHA256>.authenticationCode(for: Array(part.utf8), using: key)))
        }
        return key
    }

    static func sha256(_ bytes: [UInt8]) -> SHA256.Digest {
        var hasher = SHA256()
        bytes.withUnsafeBytes { hasher.update(bufferPointer: $0) }
        return hasher.finalize()
    }

    /// `YYYY-MM-DD`, the UTC date of a Unix time.
    public static func date(ofEpochSeconds seconds: Int64) -> String {
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let (year, month, day) = CivilCalendar.date(fromDaysSinceEpoch: Int(days))
        var bytes: [UInt8] = []
        bytes.reserveCapacity(10)
        func digits(_ value: Int, _ width: Int) {
            var divisor = 1
            for _ in 1..<width { divisor *= 10 }
            var rest = value
            while divisor > 0 {
                bytes.append(UInt8(ascii: "0") + UInt8(rest / divisor % 10))
                rest %= divisor
                divisor /= 10
            }
        }
        digits(year, 4)
        bytes.append(UInt8(ascii: "-"))
        digits(month, 2)
        bytes.append(UInt8(ascii: "-"))
        digits(day, 2)
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// The day's keyed HMAC state of a signer (see `TC3Signer.memo`): the last one derived, per
/// service.
final class TC3KeyMemo: Sendable {
    private let last = Mutex<[String: (date: String, mac: HMAC<SHA256>)]>([:])

    func keyedMAC(service: String, date: String, derive: () -> HMAC<SHA256>) -> HMAC<SHA256> {
        if let cached = last.withLock({ $0[service] }), cached.date == date { return cached.mac }
        let mac = derive()
        last.withLock { $0[service] = (date, mac) }
        return mac
    }
}
