import DNS01
import Foundation
import Logging
import ProviderKit

/// An access token as a token endpoint issued it.
struct IssuedAccessToken: Sendable {
    var token: SecretValue
    /// Seconds it stays valid from when it was issued.
    var expiresIn: Int64
}

/// A refusal by a token endpoint (Google's OAuth2 endpoint, STS, the metadata server, the IAM
/// credentials API), with what it said: OAuth2's `error` and `error_description`, or Google's
/// `{error: {message, status}}`.
struct GoogleTokenError: Error, Sendable {
    let url: String
    let status: Int
    /// `invalid_grant`, `PERMISSION_DENIED`…
    let code: String?
    let detail: String?
    let retryAfter: Duration?

    init(url: String, response: APIResponse) {
        self.url = url
        status = response.status
        retryAfter = response.status == 429 ? RetryAfter.parse(response) : nil
        let object = GoogleCredentialJSON.object(response.body)
        if let oauth = OAuth2ErrorResponse.decode(response.body) {
            code = oauth.error
            detail = oauth.errorDescription
        } else if let error = object?["error"] as? [String: Any] {
            code = error["status"] as? String
            detail = error["message"] as? String
        } else {
            code = nil
            let text = response.bodyText.trimmingWhitespace()
            detail = text.isEmpty || text.count > 200 || text.hasPrefix("<") ? nil : text
        }
    }

    /// An answer that came back but is not what a token endpoint answers.
    init(url: String, status: Int, unreadable detail: String) {
        self.url = url
        self.status = status
        code = nil
        self.detail = detail
        retryAfter = nil
    }

    var isRetryable: Bool { status == 429 || status >= 500 }

    /// `HTTP 400 invalid_grant: Invalid JWT Signature.`, at most 300 characters.
    var summary: String {
        var text = "HTTP \(status)"
        if let code { text += " \(code)" }
        if let detail, !detail.isEmpty { text += ": \(detail)" }
        return String(text.prefix(300))
    }
}

/// The HTTP exchanges that turn credentials into an access token. Each is retried on 429, 5xx
/// and transient network failures; nothing else.
struct GoogleTokenClient: Sendable {
    let transport: any HTTPTransport
    var retryPolicy: RetryPolicy
    var requestTimeout: Duration
    let logger: Logger

    static let jwtBearerGrant = "urn:ietf:params:oauth:grant-type:jwt-bearer"
    static let tokenExchangeGrant = "urn:ietf:params:oauth:grant-type:token-exchange"
    static let accessTokenType = "urn:ietf:params:oauth:token-type:access_token"

    /// RFC 7523: a signed assertion for an access token.
    func jwtBearer(tokenURL: String, assertion: String) async throws -> IssuedAccessToken {
        try await postForm(tokenURL, [("grant_type", Self.jwtBearerGrant), ("assertion", assertion)])
    }

    /// RFC 8693 at Google's STS: a subject token for a federated access token.
    func exchange(stsURL: String, audience: String, scopes: [String], subjectToken: String, subjectTokenType: String) async throws -> IssuedAccessToken {
        try await postForm(
            stsURL,
            [
                ("grant_type", Self.tokenExchangeGrant), ("audience", audience), ("scope", scopes.joined(separator: " ")),
                ("requested_token_type", Self.accessTokenType), ("subject_token", subjectToken), ("subject_token_type", subjectTokenType),
            ])
    }

    /// The metadata server's token for the instance's (or the GKE workload's) service account.
    /// A server that does not answer with `Metadata-Flavor: Google` is not a metadata server.
    func metadataToken(base: BaseURL, scopes: [String]) async throws -> IssuedAccessToken {
        let url = base.url("/computeMetadata/v1/instance/service-accounts/default/token", query: PercentEncoding.query([("scopes", scopes.joined(separator: ","))]))
        let request = APIRequest(method: "GET", url: url, headers: [.init("Metadata-Flavor", "Google"), .init("Accept", "application/json")])
        let response = try await send(request)
        guard response.headers.contains(where: { $0.name.lowercased() == "metadata-flavor" && $0.value == "Google" }) else {
            throw GoogleTokenError(url: url, status: response.status, unreadable: "the answer has no Metadata-Flavor: Google header: this is not a Google metadata server")
        }
        return try Self.decodeOAuth2(response, url: url)
    }

    /// The IAM credentials API's `generateAccessToken` for a service account, authorized by a
    /// federated token.
    func impersonate(url: String, federatedToken: SecretValue, scopes: [String], epochSeconds: Int64) async throws -> IssuedAccessToken {
        let body = try JSONSerialization.data(withJSONObject: ["scope": scopes, "lifetime": "3600s"], options: [.sortedKeys])
        let request = APIRequest(
            method: "POST", url: url,
            headers: [.init("Authorization", "Bearer \(federatedToken.text)"), .init("Content-Type", "application/json"), .init("Accept", "application/json")],
            body: Array(body))
        let response = try await send(request)
        guard let object = GoogleCredentialJSON.object(response.body), let token = object["accessToken"] as? String, !token.isEmpty,
            let expireTime = object["expireTime"] as? String, let expires = UTCTimestamp(iso8601: expireTime)?.secondsSince1970
        else {
            throw GoogleTokenError(url: url, status: response.status, unreadable: "the answer has no accessToken and expireTime")
        }
        return IssuedAccessToken(token: SecretValue(token), expiresIn: max(expires - epochSeconds, 0))
    }

    private func postForm(_ url: String, _ fields: [(String, String)]) async throws -> IssuedAccessToken {
        let request = APIRequest(
            method: "POST", url: url,
            headers: [.init("Content-Type", "application/x-www-form-urlencoded"), .init("Accept", "application/json")],
            body: Array(PercentEncoding.query(fields).utf8))
        return try Self.decodeOAuth2(try await send(request), url: url)
    }

    private func send(_ request: APIRequest) async throws -> APIResponse {
        let shouldRetry: @Sendable (any Error) -> Bool = { error in
            if let error = error as? GoogleTokenError { return error.isRetryable }
            if let error = error as? TransportError { return error.isTransient }
            return false
        }
        let serverDelay: @Sendable (any Error) -> Duration? = { ($0 as? GoogleTokenError)?.retryAfter }
        return try await retryPolicy.run(shouldRetry: shouldRetry, serverDelay: serverDelay) { attempt in
            let response = try await transport.send(request, timeout: requestTimeout)
            guard (200..<300).contains(response.status) else {
                let error = GoogleTokenError(url: request.url, response: response)
                logger.debug("Google token endpoint refused", metadata: ["host": "\(APIRequest.hostOf(request.url))", "status": "\(response.status)", "code": "\(error.code ?? "")", "attempt": "\(attempt)"])
                throw error
            }
            return response
        }
    }

    /// `{"access_token": …, "expires_in": …}`; Go's client rejects an empty token or a zero
    /// lifetime, and so does this.
    static func decodeOAuth2(_ response: APIResponse, url: String) throws -> IssuedAccessToken {
        guard let answer = OAuth2TokenResponse.decode(response.body), let lifetime = answer.expiresIn, lifetime > 0 else {
            throw GoogleTokenError(url: url, status: response.status, unreadable: "the answer has no access_token and expires_in")
        }
        return IssuedAccessToken(token: SecretValue(answer.accessToken), expiresIn: lifetime)
    }
}
