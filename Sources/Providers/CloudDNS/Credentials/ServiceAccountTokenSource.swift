import Crypto
import DNS01
import ProviderKit

/// A service-account key: a JWT signed with the key is exchanged at the token endpoint for an
/// access token (RFC 7523), as cert-manager's `serviceAccountSecretRef` does.
struct ServiceAccountTokenSource: GoogleTokenSource {
    let jwt: ServiceAccountJWT
    let tokenURL: BaseURL
    let client: GoogleTokenClient
    /// A digest of the private key, so a second key of one account never shares its cache.
    let keyFingerprint: String
    let origin: String

    /// Google accepts an assertion issued up to a few minutes in the future only; issuing it
    /// ten seconds in the past (as Go's client does) absorbs a small clock skew.
    static let issuedAtSkewSeconds: Int64 = 10

    init(key: ServiceAccountKeyFile, tokenURL: BaseURL, client: GoogleTokenClient, origin: String) throws(ServiceAccountKeyError) {
        jwt = try ServiceAccountJWT(issuer: key.clientEmail, keyID: key.privateKeyID, privateKeyPEM: key.privateKeyPEM.text)
        self.tokenURL = tokenURL
        self.client = client
        self.origin = origin
        var hex: [UInt8] = []
        hex.appendLowerHex(Array(SHA256.hash(data: key.privateKeyPEM.bytes)).prefix(12))
        keyFingerprint = String(decoding: hex, as: UTF8.self)
    }

    var identity: String { "service-account:\(jwt.issuer)|\(keyFingerprint)|\(tokenURL)" }

    func fetch(epochSeconds: Int64) async throws -> IssuedAccessToken {
        let url = tokenURL.url("")
        let assertion = try jwt.assertion(scopes: CloudDNSClient.scopes, audience: url, issuedAt: epochSeconds - Self.issuedAtSkewSeconds)
        do {
            return try await client.jwtBearer(tokenURL: url, assertion: assertion)
        } catch {
            throw CloudDNSErrorMessages.tokenFailure(error, origin: origin, endpoint: url, advice: "check that the key is current and enabled (IAM, Service accounts, Keys) and that the machine's clock is right")
        }
    }
}
