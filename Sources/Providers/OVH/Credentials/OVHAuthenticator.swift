import Crypto
import DNS01
import Foundation
import ProviderKit

/// How one challenge's requests are authenticated: `$1$` signatures with the application's
/// keys, or an OAuth2 bearer token of a service account.
enum OVHAuthenticator: Sendable {
    case application(applicationKey: String, signer: OVHSignature, origin: String)
    case oauth2(OVHOAuth2TokenSource)

    /// Where the credentials come from, for messages (never a value).
    var origin: String {
        switch self {
        case .application(_, _, let origin): origin
        case .oauth2(let source): source.origin
        }
    }

    /// What the credentials are, for messages.
    var kind: String {
        switch self {
        case .application: "application key, secret and consumer key"
        case .oauth2: "OAuth2 client"
        }
    }

    /// Sources with equal identities are the same principal (digests, never secrets).
    var identity: String {
        switch self {
        case .application(let key, let signer, _):
            return "app:\(key):" + Array(Array(SHA256.hash(data: Array(signer.consumerKey.utf8))).prefix(12)).hexString
        case .oauth2(let source):
            return "oauth2:" + source.settings.clientID
        }
    }
}

/// OAuth2 client-credentials tokens for one service account, cached until shortly before they
/// expire (`CredentialRefresh`), shared by concurrent challenges (single flight).
struct OVHOAuth2TokenSource: Sendable {
    struct Settings: Sendable, Hashable {
        var tokenURL: String
        var clientID: String
        /// A digest of the client secret, so a wrong and a right secret never share a token.
        var secretDigest: String
    }

    struct Token: Sendable {
        var value: SecretValue
    }

    let settings: Settings
    let clientSecret: SecretValue
    let origin: String
    let cache: ExpiringCache<Settings, Token>
    let transport: any HTTPTransport
    let timeout: Duration

    init(tokenURL: String, clientID: String, clientSecret: SecretValue, origin: String, cache: ExpiringCache<Settings, Token>, transport: any HTTPTransport, timeout: Duration) {
        self.settings = Settings(tokenURL: tokenURL, clientID: clientID, secretDigest: Array(Array(SHA256.hash(data: clientSecret.bytes)).prefix(12)).hexString)
        self.clientSecret = clientSecret
        self.origin = origin
        self.cache = cache
        self.transport = transport
        self.timeout = timeout
    }

    func token() async throws -> SecretValue {
        try await cache.value(for: settings) { [settings, clientSecret, transport, timeout] in
            try await Self.fetch(settings: settings, clientSecret: clientSecret, transport: transport, timeout: timeout)
        }.value
    }

    /// Drops the cached token after the API refused it.
    func invalidate() {
        cache.invalidate(settings)
    }

    /// `POST <tokenURL>` with `grant_type=client_credentials&scope=all`, the client in HTTP
    /// Basic (RFC 6749: id and secret form-encoded first).
    private static func fetch(settings: Settings, clientSecret: SecretValue, transport: any HTTPTransport, timeout: Duration) async throws -> (Token, validFor: Duration) {
        let basic = PercentEncoding.rfc3986(settings.clientID) + ":" + PercentEncoding.rfc3986(clientSecret.text)
        let request = APIRequest(
            method: "POST", url: settings.tokenURL,
            headers: [
                .init("Authorization", "Basic " + Data(basic.utf8).base64EncodedString()),
                .init("Content-Type", "application/x-www-form-urlencoded"),
                .init("Accept", "application/json"),
                .init("User-Agent", "dns01-webhook"),
            ], body: Array("grant_type=client_credentials&scope=all".utf8))
        let response = try await ProviderRequests.send(request, through: transport, timeout: timeout, operation: "POST /oauth2/token")
        struct Answer: Decodable {
            var accessToken: String?
            var expiresIn: Int64?
            var error: String?
            enum CodingKeys: String, CodingKey {
                case accessToken = "access_token"
                case expiresIn = "expires_in"
                case error
            }
        }
        let answer = try? JSONDecoder().decode(Answer.self, from: Data(response.body))
        guard response.status == 200, let token = answer?.accessToken, !token.isEmpty else {
            throw OVHTokenError(status: response.status, code: answer?.error ?? "HTTP \(response.status)")
        }
        let lifetime = answer?.expiresIn ?? 3600
        return (Token(value: SecretValue(token)), validFor: CredentialRefresh.reuseDuration(remaining: lifetime))
    }
}
