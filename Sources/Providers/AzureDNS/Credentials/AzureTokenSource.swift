import DNS01
import Foundation
import Logging
import ProviderKit

/// Access tokens for Resource Manager as one identity: fetched from Entra ID (client secret or
/// workload identity's client assertion) or the instance metadata service, and cached per
/// identity until `CredentialRefresh` says to replace them. Concurrent challenges share one
/// fetch (the cache is single-flight).
struct AzureTokenSource: Sendable {
    let identity: AzureIdentity
    let cloud: AzureCloud
    let cache: ExpiringCache<AccountKey, AzureAccessToken>
    let transport: any HTTPTransport
    let retryPolicy: RetryPolicy
    let requestTimeout: Duration
    let logger: Logger
    let readFile: @Sendable (String) throws -> String

    /// A valid token, from the cache when one is.
    func token() async throws -> SecretValue {
        let key = identity.cacheKey
        return try await cache.value(for: key) { [self] in
            let fetched = try await fetch()
            return (fetched, validFor: CredentialRefresh.reuseDuration(remaining: fetched.expiresIn))
        }.token
    }

    /// Forgets the cached token (Resource Manager refused it).
    func invalidate() {
        cache.invalidate(identity.cacheKey)
    }

    private func fetch() async throws -> AzureAccessToken {
        let request: APIRequest
        let service: AzureTokenError.Service
        switch identity {
        case .clientSecret(let tenant, let client, let secret, let authority, _, _):
            request = Self.tokenRequest(
                authority: authority, tenant: tenant,
                form: [
                    ("grant_type", "client_credentials"), ("client_id", client), ("client_secret", secret.text), ("scope", cloud.scope),
                ])
            service = .entra
        case .workloadIdentity(let tenant, let client, let file, let authority):
            // Read on every fetch: the kubelet replaces the projected token long before a
            // token cached from it expires, and a stale one is refused.
            let assertion: String
            do {
                assertion = try readFile(file).trimmingWhitespace()
            } catch {
                throw DNS01Error(
                    .credentialsUnavailable, "workload identity: cannot read the service account token file \(file) (AZURE_FEDERATED_TOKEN_FILE): is the azure.workload.identity/use label on the webhook's pod, and the token volume mounted?")
            }
            guard !assertion.isEmpty else {
                throw DNS01Error(.credentialsUnavailable, "workload identity: the service account token file \(file) (AZURE_FEDERATED_TOKEN_FILE) is empty")
            }
            request = Self.tokenRequest(
                authority: authority, tenant: tenant,
                form: [
                    ("grant_type", "client_credentials"), ("client_id", client),
                    ("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"), ("client_assertion", assertion),
                    ("scope", cloud.scope),
                ])
            service = .entra
        case .managedIdentity(let endpoint, let client, let resource):
            var query = [("api-version", "2018-02-01"), ("resource", cloud.audience)]
            if let client { query.append(("client_id", client)) }
            if let resource { query.append(("msi_res_id", resource)) }
            request = APIRequest(
                method: "GET", url: endpoint.url("/metadata/identity/oauth2/token", query: PercentEncoding.query(query)),
                headers: [.init("Metadata", "true"), .init("Accept", "application/json"), .init("User-Agent", "dns01-webhook")])
            service = .instanceMetadata
        }
        let response = try await retryPolicy.run(shouldRetry: Self.shouldRetry, serverDelay: Self.serverDelay) { attempt in
            // IMDS answers on the node at once; a node without it should fail fast, not hold the
            // challenge for the whole request timeout on every retry.
            let timeout = service == .instanceMetadata ? min(requestTimeout, .seconds(5)) : requestTimeout
            let response = try await transport.send(request, timeout: timeout)
            guard response.status == 200 else {
                let error = AzureTokenError(service: service, response: response)
                logger.debug("Azure token request refused", metadata: ["status": "\(response.status)", "error": "\(error.error ?? "")", "code": "\(error.entraCode ?? "")", "attempt": "\(attempt)"])
                throw error
            }
            return response
        }
        guard let decoded = OAuth2TokenResponse.decode(response.body) else {
            throw DNS01Error(.credentialsUnavailable, "\(identity.described): the token endpoint at \(APIRequest.hostOf(request.url)) answered without an access token")
        }
        logger.debug("Azure access token fetched", metadata: ["identity": "\(identity.cacheKey.identity.split(separator: "|").prefix(3).joined(separator: "|"))", "expiresIn": "\(decoded.expiresIn ?? 0)"])
        return AzureAccessToken(token: SecretValue(decoded.accessToken), expiresIn: decoded.expiresIn ?? 300)
    }

    private static func tokenRequest(authority: BaseURL, tenant: String, form: [(String, String)]) -> APIRequest {
        APIRequest(
            method: "POST", url: authority.url("/\(PercentEncoding.rfc3986(tenant))/oauth2/v2.0/token"),
            headers: [.init("Content-Type", "application/x-www-form-urlencoded"), .init("Accept", "application/json"), .init("User-Agent", "dns01-webhook")],
            body: Array(PercentEncoding.query(form).utf8))
    }

    /// How long the token service asked us to wait, when it said.
    private static let serverDelay: @Sendable (any Error) -> Duration? = { ($0 as? AzureTokenError)?.retryAfter }

    private static let shouldRetry: @Sendable (any Error) -> Bool = { error in
        switch error {
        case let error as AzureTokenError: error.isRetryable
        case let error as TransportError: error.isTransient
        default: false
        }
    }
}
