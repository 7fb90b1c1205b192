import Crypto
import ProviderKit
import Synchronization

/// AWS Signature Version 4, as a pure value: a request, credentials and a time in; the signed
/// request and every intermediate (canonical request, string to sign) out. No clock, no I/O, so
/// AWS's published vectors and botocore's signer test it directly.
///
/// It canonicalises the way botocore does for every service but S3: the wire path has its dot
/// and empty segments removed and is percent-encoded a second time; the wire query is sorted as
/// encoded `name=value` pairs without re-encoding; every header the request carries is signed
/// (except hop-by-hop ones and `User-Agent`), plus `host`, `x-amz-date` and, with session
/// credentials, `x-amz-security-token`. Callers therefore sign exactly the headers they send.
public struct SigV4Signer: Sendable {
    public let credentials: AWSCredentials
    public let region: String
    public let service: String
    /// The signing key depends only on the fields above and the date, so a signer derives it
    /// once per day instead of once per request (four HMACs saved per signature). It is a
    /// memo of a pure function: the output never depends on what it holds.
    private let keyMemo = SigningKeyMemo()

    public init(credentials: AWSCredentials, region: String, service: String) {
        self.credentials = credentials
        self.region = region
        self.service = service
    }

    /// Everything one signature was computed from, for tests and debugging (no secret in it).
    public struct Signature: Sendable, Hashable {
        public var canonicalRequest: String
        public var stringToSign: String
        public var signedHeaders: String
        public var signature: String
        public var authorization: String
        /// The request with `X-Amz-Date`, `X-Amz-Security-Token` and `Authorization` added.
        public var request: APIRequest
    }

    /// Headers botocore never signs: hop-by-hop fields a proxy may change, and `User-Agent`.
    static let unsignedHeaders: Set<String> = [
        "connection", "expect", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailer",
        "transfer-encoding", "upgrade", "user-agent", "x-amzn-trace-id", "authorization",
    ]

    public func sign(_ unsigned: APIRequest, at time: AWSTimestamp) -> Signature {
        var request = unsigned
        // A request may be signed again on retry: drop the previous signature's headers first.
        request.headers.removeAll { ["authorization", "x-amz-date", "x-amz-security-token"].contains($0.name.lowercased()) }
        let amzDate = time.amzDate
        request.headers.append(.init("X-Amz-Date", amzDate))
        if let token = credentials.sessionToken {
            request.headers.append(.init("X-Amz-Security-Token", token.text))
        }

        let url = WireURL(request.url)
        var canonicalHeaders: [String: [String]] = [:]
        for header in request.headers {
            let name = header.name.lowercased()
            guard !Self.unsignedHeaders.contains(name) else { continue }
            canonicalHeaders[name, default: []].append(Self.normaliseHeaderValue(header.value))
        }
        if canonicalHeaders["host"] == nil { canonicalHeaders["host"] = [url.canonicalHost] }
        let names = canonicalHeaders.keys.sorted()
        let signedHeaders = names.joined(separator: ";")
        let headerBlock = names.map { "\($0):\(canonicalHeaders[$0]!.joined(separator: ","))\n" }.joined()
        let payloadHash = request.header("x-amz-content-sha256") ?? Array(SHA256.hash(data: request.body)).hexString

        let canonicalRequest = [
            request.method.uppercased(),
            Self.canonicalURI(url.path),
            Self.canonicalQuery(url.query),
            headerBlock,
            signedHeaders,
            payloadHash,
        ].joined(separator: "\n")

        let scope = "\(time.dateStamp)/\(region)/\(service)/aws4_request"
        let stringToSign = "AWS4-HMAC-SHA256\n\(amzDate)\n\(scope)\n\(Array(SHA256.hash(data: Array(canonicalRequest.utf8))).hexString)"
        let key = keyMemo.key(for: time.dateStamp) { signingKey(dateStamp: $0) }
        let signature = Array(HMAC<SHA256>.authenticationCode(for: Array(stringToSign.utf8), using: key)).hexString
        let authorization = "AWS4-HMAC-SHA256 Credential=\(credentials.accessKeyID)/\(scope), SignedHeaders=\(signedHeaders), Signature=\(signature)"
        request.headers.append(.init("Authorization", authorization))
        return Signature(
            canonicalRequest: canonicalRequest, stringToSign: stringToSign, signedHeaders: signedHeaders,
            signature: signature, authorization: authorization, request: request
        )
    }

    /// kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request").
    func signingKey(dateStamp: String) -> SymmetricKey {
        var key = SymmetricKey(data: Array("AWS4".utf8) + credentials.secretAccessKey.bytes)
        for part in [dateStamp, region, service, "aws4_request"] {
            key = SymmetricKey(data: Array(HMAC<SHA256>.authenticationCode(for: Array(part.utf8), using: key)))
        }
        return key
    }

    /// The wire path with dot segments and empty segments removed, then percent-encoded again
    /// (`%` becomes `%25`): the non-S3 "double encoding".
    static func canonicalURI(_ wirePath: String) -> String {
        guard !wirePath.isEmpty else { return "/" }
        var segments: [Substring] = []
        for segment in wirePath.split(separator: "/", omittingEmptySubsequences: true) {
            if segment == "." { continue }
            if segment == ".." {
                if !segments.isEmpty { segments.removeLast() }
                continue
            }
            segments.append(segment)
        }
        let first = wirePath.hasPrefix("/") ? "/" : ""
        let last = wirePath.hasSuffix("/") && !segments.isEmpty ? "/" : ""
        let normalised = first + segments.joined(separator: "/") + last
        return normalised.isEmpty ? "/" : PercentEncoding.rfc3986(normalised, keepingSlash: true)
    }

    /// The wire query's `name=value` pairs (a bare `name` becomes `name=`), sorted by encoded
    /// name and then value, byte-wise.
    static func canonicalQuery(_ wireQuery: Substring?) -> String {
        guard let wireQuery, !wireQuery.isEmpty else { return "" }
        let pairs = wireQuery.split(separator: "&", omittingEmptySubsequences: false).map { pair -> (Substring, Substring) in
            if let equals = pair.firstIndex(of: "=") { return (pair[..<equals], pair[pair.index(after: equals)...]) }
            return (pair, "")
        }
        return pairs.sorted { lhs, rhs in
            lhs.0 != rhs.0 ? lhs.0.utf8.lexicographicallyPrecedes(rhs.0.utf8) : lhs.1.utf8.lexicographicallyPrecedes(rhs.1.utf8)
        }.map { "\($0.0)=\($0.1)" }.joined(separator: "&")
    }

    /// Trimmed, with every run of whitespace collapsed to one space.
    static func normaliseHeaderValue(_ value: String) -> String {
        value.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" || $0 == "\u{0B}" || $0 == "\u{0C}" })
            .joined(separator: " ")
    }
}

/// The last signing key a signer derived, with its date.
private final class SigningKeyMemo: Sendable {
    private let last = Mutex<(dateStamp: String, key: SymmetricKey)?>(nil)

    func key(for dateStamp: String, derive: (String) -> SymmetricKey) -> SymmetricKey {
        if let last = last.withLock({ $0 }), last.dateStamp == dateStamp { return last.key }
        let key = derive(dateStamp)
        last.withLock { $0 = (dateStamp, key) }
        return key
    }
}

/// The parts of a wire URL the signer needs.
struct WireURL {
    var scheme: Substring
    var authority: Substring
    var path: String
    var query: Substring?

    init(_ url: String) {
        var rest = Substring(url)
        if let range = rest.range(of: "://") {
            scheme = rest[..<range.lowerBound]
            rest = rest[range.upperBound...]
        } else {
            scheme = "https"
        }
        if let fragment = rest.firstIndex(of: "#") { rest = rest[..<fragment] }
        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" } ?? rest.endIndex
        authority = rest[..<authorityEnd]
        rest = rest[authorityEnd...]
        if let question = rest.firstIndex(of: "?") {
            path = String(rest[..<question])
            query = rest[rest.index(after: question)...]
        } else {
            path = String(rest)
            query = nil
        }
    }

    /// The `host` header botocore derives: lower-case, the port omitted when it is the scheme's default.
    var canonicalHost: String {
        let hostPart = (authority.split(separator: "@").last.map(String.init) ?? String(authority)).lowercased()
        let lowerScheme = scheme.lowercased()
        for (defaultScheme, port) in [("http", ":80"), ("https", ":443")] where lowerScheme == defaultScheme && hostPart.hasSuffix(port) {
            return String(hostPart.dropLast(port.count))
        }
        return hostPart
    }
}
