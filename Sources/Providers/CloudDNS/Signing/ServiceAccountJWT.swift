import Crypto
import DNS01
import Foundation
import _CryptoExtras

/// The JWT a service account signs to get an access token (RFC 7523's JWT bearer grant, as
/// Google's token endpoint takes it), as a pure value: key, claims and time in, the compact
/// JWS out. No clock and no randomness inside, so google-auth's signer tests it directly.
///
/// - header `{"alg":"RS256","typ":"JWT","kid":<private_key_id>}` (no `kid` when the key has none);
/// - claims `{"iss":<client_email>,"scope":<scopes, space-joined>,"aud":<token endpoint>,
///   "exp":<iat + 3600>,"iat":<issued at>}`, in that order, compact JSON;
/// - both base64url without padding, joined by `.`, signed with RSASSA-PKCS1-v1_5 over
///   SHA-256. PKCS#1 v1.5 is deterministic, so one key and one signing input give one
///   signature, byte for byte.
public struct ServiceAccountJWT: Sendable {
    /// Google accepts assertions valid for at most an hour.
    public static let lifetimeSeconds: Int64 = 3600

    public let issuer: String
    public let keyID: String?
    private let key: _RSA.Signing.PrivateKey

    /// - Parameters:
    ///   - issuer: the service account's `client_email`.
    ///   - keyID: the key's `private_key_id`.
    ///   - privateKeyPEM: `private_key` (PKCS#8 or PKCS#1 PEM, 2048 bits or more).
    public init(issuer: String, keyID: String?, privateKeyPEM: String) throws(ServiceAccountKeyError) {
        self.issuer = issuer
        self.keyID = keyID
        do {
            key = try _RSA.Signing.PrivateKey(pemRepresentation: privateKeyPEM)
        } catch {
            throw ServiceAccountKeyError("its private_key is not an RSA private key of 2048 bits or more in PEM form")
        }
    }

    /// `base64url(header).base64url(claims)`: the bytes the signature covers.
    public func signingInput(scopes: [String], audience: String, issuedAt: Int64) -> String {
        var header = #"{"alg":"RS256","typ":"JWT""#
        if let keyID { header += #","kid":"# + JSONText.quoted(keyID) }
        header += "}"
        let claims =
            #"{"iss":"# + JSONText.quoted(issuer) + #","scope":"# + JSONText.quoted(scopes.joined(separator: " ")) + #","aud":"#
            + JSONText.quoted(audience) + #","exp":"# + String(issuedAt + Self.lifetimeSeconds) + #","iat":"# + String(issuedAt) + "}"
        return Self.base64URL(Array(header.utf8)) + "." + Self.base64URL(Array(claims.utf8))
    }

    /// The RS256 signature of `input`.
    public func signature(of input: String) throws -> [UInt8] {
        let signature = try key.signature(for: SHA256.hash(data: Array(input.utf8)), padding: .insecurePKCS1v1_5)
        return signature.withUnsafeBytes { Array($0) }
    }

    /// The signed assertion: `signingInput.base64url(signature)`.
    public func assertion(scopes: [String], audience: String, issuedAt: Int64) throws -> String {
        let input = signingInput(scopes: scopes, audience: audience, issuedAt: issuedAt)
        return input + "." + Self.base64URL(try signature(of: input))
    }

    /// Base64url without padding (RFC 7515 §2).
    public static func base64URL(_ bytes: [UInt8]) -> String {
        var text = Data(bytes).base64EncodedString()
        while text.hasSuffix("=") { text.removeLast() }
        return String(text.map { $0 == "+" ? "-" : $0 == "/" ? "_" : $0 })
    }
}

/// A service-account key file that cannot be used; the message says why, never a key byte.
public struct ServiceAccountKeyError: Error, Sendable, Hashable {
    public let problem: String
    public init(_ problem: String) { self.problem = problem }
}
