import Crypto

/// A TSIG MAC algorithm (RFC 8945 §6), named on the wire by a domain name.
public enum TSIGAlgorithm: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// RFC 8945 says MUST NOT use; kept because it is cert-manager's default (`HMACMD5`), so an
    /// Issuer migrated without a `tsigAlgorithm` keeps working against the same server.
    case hmacMD5 = "hmac-md5.sig-alg.reg.int"
    case hmacSHA1 = "hmac-sha1"
    case hmacSHA256 = "hmac-sha256"
    case hmacSHA384 = "hmac-sha384"
    case hmacSHA512 = "hmac-sha512"

    /// The algorithm's name as it goes in the TSIG record.
    public var wireName: String { rawValue }

    public var description: String { rawValue }

    /// Recognises a wire name, case-insensitively, with or without the trailing dot.
    public init?(wireName: String) {
        self.init(rawValue: DNSName.canonical(wireName))
    }

    /// The MAC of `data` under `secret`.
    public func mac(_ data: [UInt8], secret: [UInt8]) -> [UInt8] {
        let key = SymmetricKey(data: secret)
        switch self {
        case .hmacMD5: return Array(HMAC<Insecure.MD5>.authenticationCode(for: data, using: key))
        case .hmacSHA1: return Array(HMAC<Insecure.SHA1>.authenticationCode(for: data, using: key))
        case .hmacSHA256: return Array(HMAC<SHA256>.authenticationCode(for: data, using: key))
        case .hmacSHA384: return Array(HMAC<SHA384>.authenticationCode(for: data, using: key))
        case .hmacSHA512: return Array(HMAC<SHA512>.authenticationCode(for: data, using: key))
        }
    }
}
