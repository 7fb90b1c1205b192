import Crypto
import Foundation
import ProviderKit

/// Akamai's EdgeGrid request signature, `EG1-HMAC-SHA256`, as a pure value: the request, the
/// credentials, a timestamp and a nonce in; the `Authorization` header and every intermediate
/// out. No clock and no randomness inside, so the published vectors (edgegrid-python's
/// `testcases.json`) and the official signer test it directly.
///
/// Algorithm (edgegrid-python `EdgeGridAuthHeaders.make_auth_header`):
/// 1. unsigned header: `EG1-HMAC-SHA256 client_token=…;access_token=…;timestamp=…;nonce=…;`;
/// 2. data to sign, TAB-joined: method, scheme, host (the `Host` header if the request has
///    one, else the URL's authority), path with `;params` and `?query` as sent, the canonical
///    headers (each of `headersToSign` present: `name:value`, lower-case name, value trimmed
///    with whitespace runs collapsed, TAB-joined), the content hash (Base64 SHA-256 of the body
///    cut to `maxBody`, for a POST with a body only) and the unsigned header;
/// 3. signing key: Base64(HMAC-SHA256(key: client secret, timestamp));
/// 4. signature: Base64(HMAC-SHA256(key: the signing key's Base64 text, data to sign)).
///
/// The scheme signed is the URL's: `http` for the plain-http URL of a local emulator, as the
/// official clients do.
public struct EdgeGridSigner: Sendable {
    public let clientToken: String
    public let accessToken: String
    private let clientSecret: [UInt8]
    /// Header names to sign, in order (Edge DNS signs none).
    public let headersToSign: [String]
    /// The most body bytes hashed (Akamai's default, 128 KiB).
    public let maxBody: Int

    public static let defaultMaxBody = 131_072

    public init(clientToken: String, clientSecret: String, accessToken: String, headersToSign: [String] = [], maxBody: Int = EdgeGridSigner.defaultMaxBody) {
        self.clientToken = clientToken
        self.accessToken = accessToken
        self.clientSecret = Array(clientSecret.utf8)
        self.headersToSign = headersToSign.map { $0.lowercased() }
        self.maxBody = maxBody
    }

    /// Everything one signature was computed from (no secret in it).
    public struct Signature: Sendable, Hashable {
        public var unsignedAuthorization: String
        public var dataToSign: String
        public var contentHash: String
        public var signature: String
        /// The `Authorization` header value.
        public var authorization: String
    }

    /// Signs `request` at `timestamp` (`yyyyMMddTHH:mm:ss+0000`, see `EdgeGridTimestamp`) with
    /// `nonce` (a fresh UUID per request), and returns it with its `Authorization` header.
    public func sign(_ request: APIRequest, timestamp: String, nonce: String) -> (request: APIRequest, signature: Signature) {
        var signed = request
        signed.headers.removeAll { $0.name.lowercased() == "authorization" }
        let signature = self.signature(method: request.method, url: request.url, headers: signed.headers, body: request.body, timestamp: timestamp, nonce: nonce)
        signed.headers.append(.init("Authorization", signature.authorization))
        return (signed, signature)
    }

    /// The signature of a request given by its parts.
    public func signature(method: String, url: String, headers: [APIRequest.Header], body: [UInt8], timestamp: String, nonce: String) -> Signature {
        let unsigned = "EG1-HMAC-SHA256 client_token=\(clientToken);access_token=\(accessToken);timestamp=\(timestamp);nonce=\(nonce);"
        let parts = EdgeGridURL(url)
        let host = headers.first { $0.name.lowercased() == "host" }.flatMap { $0.value.isEmpty ? nil : $0.value } ?? parts.netloc
        let hash = contentHash(method: method, body: body)
        let data = [method, parts.scheme, host, parts.target, canonicalHeaders(headers), hash, unsigned].joined(separator: "\t")
        let signingKey = Self.base64HMAC(key: clientSecret, message: Array(timestamp.utf8))
        let signature = Self.base64HMAC(key: Array(signingKey.utf8), message: Array(data.utf8))
        return Signature(unsignedAuthorization: unsigned, dataToSign: data, contentHash: hash, signature: signature, authorization: unsigned + "signature=" + signature)
    }

    /// Base64(HMAC-SHA256(client secret, timestamp)).
    public func signingKey(timestamp: String) -> String {
        Self.base64HMAC(key: clientSecret, message: Array(timestamp.utf8))
    }

    /// Base64 SHA-256 of the first `maxBody` bytes, for a POST with a body; empty otherwise.
    public func contentHash(method: String, body: [UInt8]) -> String {
        guard method == "POST", !body.isEmpty else { return "" }
        return Data(SHA256.hash(data: body.prefix(maxBody))).base64EncodedString()
    }

    /// `name:value` for each header to sign that the request has (the first of that name), in
    /// `headersToSign` order, the value trimmed and its whitespace runs collapsed; TAB-joined.
    public func canonicalHeaders(_ headers: [APIRequest.Header]) -> String {
        headersToSign.compactMap { name -> String? in
            guard let value = headers.first(where: { $0.name.lowercased() == name })?.value else { return nil }
            return name + ":" + Self.collapsingWhitespace(value)
        }.joined(separator: "\t")
    }

    /// Python's `re.sub(r"\s+", " ", value.strip())`, code point by code point (Python's
    /// whitespace: Unicode's, plus the separators U+001C…U+001F).
    static func collapsingWhitespace(_ value: String) -> String {
        var result = String.UnicodeScalarView()
        var pendingSpace = false
        for scalar in value.unicodeScalars {
            if scalar.properties.isWhitespace || (0x1C...0x1F).contains(scalar.value) {
                pendingSpace = !result.isEmpty
                continue
            }
            if pendingSpace { result.append(" ") }
            pendingSpace = false
            result.append(scalar)
        }
        return String(result)
    }

    private static func base64HMAC(key: [UInt8], message: [UInt8]) -> String {
        Data(HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: key))).base64EncodedString()
    }
}

/// The parts of a URL EdgeGrid signs, split the way Python's `urlparse` splits them: the
/// fragment dropped, the query after the first `?`, `;params` after the first `;` of the last
/// path segment, and the target put back together as `path[;params][?query]` (an empty query
/// or params is left out, with its separator).
struct EdgeGridURL: Sendable {
    /// Lower-case.
    var scheme: String
    /// The authority exactly as written (`host:port`).
    var netloc: String
    var target: String

    /// Works on code points, as Python does (a combining mark after `/` must not hide it).
    init(_ url: String) {
        let scalars = Array(url.unicodeScalars)
        func text(_ range: Range<Int>) -> String { String(String.UnicodeScalarView(scalars[range])) }
        var start = 0
        scheme = ""
        if let colon = scalars.firstIndex(of: ":"), colon > 0, scalars[0].properties.isAlphabetic,
            scalars[..<colon].allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "+-.".unicodeScalars.contains($0)) })
        {
            scheme = text(0..<colon).lowercased()
            start = colon + 1
        }
        netloc = ""
        if scalars.count >= start + 2, scalars[start] == "/", scalars[start + 1] == "/" {
            let from = start + 2
            let end = scalars[from...].firstIndex { "/?#".unicodeScalars.contains($0) } ?? scalars.count
            netloc = text(from..<end)
            start = end
        }
        var end = scalars[start...].firstIndex(of: "#") ?? scalars.count
        var query = ""
        if let question = scalars[start..<end].firstIndex(of: "?") {
            query = text((question + 1)..<end)
            end = question
        }
        var pathEnd = end
        var params = ""
        let lastSegment = scalars[start..<end].lastIndex(of: "/").map { $0 + 1 } ?? start
        if let semicolon = scalars[lastSegment..<end].firstIndex(of: ";") {
            params = text((semicolon + 1)..<end)
            pathEnd = semicolon
        }
        target = text(start..<pathEnd) + (params.isEmpty ? "" : ";" + params) + (query.isEmpty ? "" : "?" + query)
    }
}

/// EdgeGrid's timestamp, `yyyyMMdd'T'HH:mm:ss+0000` in UTC.
public enum EdgeGridTimestamp {
    public static func string(fromEpochSeconds seconds: Int64) -> String {
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = seconds - days * 86_400
        let (year, month, day) = CivilCalendar.date(fromDaysSinceEpoch: Int(days))
        func pad(_ value: Int, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return "\(pad(year, 4))\(pad(month, 2))\(pad(day, 2))T\(pad(Int(secondOfDay / 3600), 2)):\(pad(Int(secondOfDay / 60 % 60), 2)):\(pad(Int(secondOfDay % 60), 2))+0000"
    }
}
