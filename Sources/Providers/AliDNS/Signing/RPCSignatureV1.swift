import Crypto
import Foundation
import ProviderKit

/// Alibaba Cloud's RPC request signature, version 1.0 (HMAC-SHA1), as a pure value: the same
/// inputs always give the same signature. The nonce and timestamp come in from the caller, so
/// published vectors test it directly and the client decides when to make fresh ones (every
/// attempt, because the service spends a nonce even on a request it then refuses).
///
/// Algorithm (Alibaba's "Request signature" document for RPC APIs):
/// 1. add the signature parameters (`AccessKeyId`, `SignatureMethod`, `SignatureVersion`,
///    `SignatureNonce`, `Timestamp`, and `SecurityToken` for STS keys);
/// 2. sort every parameter but `Signature` by the UTF-8 bytes of its name;
/// 3. percent-encode names and values per RFC 3986 (space `%20`, `*` `%2A`, `~` kept) and
///    join them as `name=value&…`;
/// 4. string to sign: `METHOD&%2F&` + the percent-encoded canonical query;
/// 5. signature: Base64(HMAC-SHA1(key: secret + "&", string to sign)).
public struct RPCSignatureV1: Sendable {
    public let accessKeyId: String
    public let securityToken: String?
    private let key: SymmetricKey

    public init(accessKeyId: String, accessKeySecret: String, securityToken: String? = nil) {
        self.accessKeyId = accessKeyId
        self.securityToken = securityToken
        self.key = SymmetricKey(data: Array((accessKeySecret + "&").utf8))
    }

    /// The outcome of signing: every parameter to send (in canonical order, `Signature` last)
    /// and the intermediate text, which tests compare with other implementations.
    public struct SignedParameters: Sendable, Hashable {
        public let parameters: [RPCParameter]
        public let canonicalizedQuery: String
        public let stringToSign: String
        public let signature: String

        /// `application/x-www-form-urlencoded` body (or query string) carrying everything.
        public var formEncoded: String {
            PercentEncoding.query(parameters.map { ($0.name, $0.value) })
        }
    }

    /// Adds the signature parameters to `parameters` and signs them for `method`.
    /// `timestamp` is `yyyy-MM-ddTHH:mm:ssZ` in UTC (see `RPCTimestamp`).
    public func sign(method: String, parameters: [RPCParameter], nonce: String, timestamp: String) -> SignedParameters {
        var all = parameters.filter { $0.name != "Signature" }
        all.append(RPCParameter("AccessKeyId", accessKeyId))
        all.append(RPCParameter("SignatureMethod", "HMAC-SHA1"))
        all.append(RPCParameter("SignatureVersion", "1.0"))
        all.append(RPCParameter("SignatureNonce", nonce))
        all.append(RPCParameter("Timestamp", timestamp))
        if let securityToken { all.append(RPCParameter("SecurityToken", securityToken)) }
        return signExactly(method: method, parameters: all)
    }

    /// Signs `parameters` as given (they must already hold the signature parameters); for
    /// reproducing vectors and for other implementations' inputs.
    public func signExactly(method: String, parameters: [RPCParameter]) -> SignedParameters {
        let sorted = Self.sorted(parameters.filter { $0.name != "Signature" })
        let query = Self.canonicalizedQuery(sortedParameters: sorted)
        let toSign = Self.stringToSign(method: method, canonicalizedQuery: query)
        let mac = HMAC<Insecure.SHA1>.authenticationCode(for: toSign, using: key)
        let signature = Data(mac).base64EncodedString()
        return SignedParameters(
            parameters: sorted + [RPCParameter("Signature", signature)],
            canonicalizedQuery: String(decoding: query, as: UTF8.self),
            stringToSign: String(decoding: toSign, as: UTF8.self),
            signature: signature
        )
    }

    /// Byte order of the UTF-8 names (not locale order: `TTL` sorts before `Timestamp`).
    static func sorted(_ parameters: [RPCParameter]) -> [RPCParameter] {
        parameters.sorted { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }
    }

    /// `name=value&…`, each percent-encoded (as bytes: this is the hot path of signing).
    static func canonicalizedQuery(sortedParameters: [RPCParameter]) -> [UInt8] {
        var query: [UInt8] = []
        query.reserveCapacity(sortedParameters.reduce(0) { $0 + $1.name.utf8.count + $1.value.utf8.count + 2 } * 2)
        for (index, parameter) in sortedParameters.enumerated() {
            if index > 0 { query.append(UInt8(ascii: "&")) }
            PercentEncoding.appendRFC3986(parameter.name.utf8, to: &query)
            query.append(UInt8(ascii: "="))
            PercentEncoding.appendRFC3986(parameter.value.utf8, to: &query)
        }
        return query
    }

    /// `METHOD&%2F&` + the percent-encoded canonical query.
    static func stringToSign(method: String, canonicalizedQuery: [UInt8]) -> [UInt8] {
        var toSign = Array(method.uppercased().utf8)
        toSign.reserveCapacity(toSign.count + 5 + canonicalizedQuery.count * 3 / 2)
        toSign += Array("&%2F&".utf8)
        PercentEncoding.appendRFC3986(canonicalizedQuery, to: &toSign)
        return toSign
    }
}
