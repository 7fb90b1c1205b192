import DNS01
import ProviderKit

/// Turns Cloudflare failures into the `DNS01Error`s cert-manager shows on a Challenge: stable
/// across retries (no ray ids, no wait times), saying what to fix, naming the config field of
/// the credentials and never their value.
enum CloudflareErrorMessages {
    static func failure(_ error: any Error, name: DomainName, credentials: CloudflareCredentials, endpoint: BaseURL) -> DNS01Error {
        switch error {
        case let error as DNS01Error:
            return error
        case let error as CloudflareAPIError:
            return apiFailure(error, name: name, credentials: credentials, endpoint: endpoint)
        case let error as TransportError:
            return DNS01Error(.providerUnavailable, "cannot reach the Cloudflare API at \(endpoint): \(error.underlying)")
        case let error as CloudflareUnreadableResponse:
            return DNS01Error(
                .providerUnavailable, "the Cloudflare API at \(endpoint) answered a request to \(error.operation) with something that is not its JSON envelope: is endpoint the API's base URL (\(CloudflareConfiguration.defaultEndpoint))?")
        default:
            return DNS01Error(.providerUnavailable, "Cloudflare API at \(endpoint): \(PlainErrorText.describe(error))")
        }
    }

    private static func apiFailure(_ error: CloudflareAPIError, name: DomainName, credentials: CloudflareCredentials, endpoint: BaseURL) -> DNS01Error {
        let origin = "\(credentials.origin) (\(credentials.field))"
        let summary = error.summary.redacting([credentials.secret])
        if error.has(6003) || error.has(6111) || error.has(6102) || error.has(6103) || error.has(9106) {
            let fix =
                credentials.isToken
                ? "the Secret must hold the API token itself (40 characters), not the global API key"
                : "email must be the account's email and the Secret must hold the global API key itself (37 hex characters), not an API token"
            return DNS01Error(.credentialsUnavailable, "Cloudflare refused the format of \(origin) (\(summary)): \(fix)")
        }
        if error.has(9109) || error.has(1000) {
            return DNS01Error(
                .credentialsUnavailable, "Cloudflare does not accept \(origin) (\(summary)): check that the Secret holds an existing, active API token (a wrong, rolled or expired token, or one restricted to other IP addresses, is refused)")
        }
        if error.has(9103) {
            return DNS01Error(.credentialsUnavailable, "Cloudflare does not accept the global API key and email (\(summary)): check email and \(origin)")
        }
        if error.has(10000) || error.status == 403 {
            return DNS01Error(.providerRejected, "Cloudflare refused to \(error.operation) with \(origin) (\(summary)): an API token needs the Zone:Read and DNS:Edit permissions on the zone of \(name.name)")
        }
        if error.status == 429 || error.has(971) {
            return DNS01Error(.providerUnavailable, "Cloudflare kept rate-limiting requests to \(error.operation) (\(summary)) through every retry: the credentials share a limit of 1200 requests per 5 minutes; cert-manager will try again")
        }
        if error.status >= 500 {
            return DNS01Error(.providerUnavailable, "Cloudflare kept failing to \(error.operation) with HTTP \(error.status) (\(summary)) through every retry; cert-manager will try again")
        }
        if error.status == 401 {
            return DNS01Error(
                .credentialsUnavailable,
                "the Cloudflare API at \(endpoint) does not accept \(origin) (HTTP 401\(summary == "HTTP 401" ? "" : ": \(summary)")): check the Secret's value, and that endpoint is the API's base URL (\(CloudflareConfiguration.defaultEndpoint))")
        }
        return DNS01Error(.providerRejected, "Cloudflare refused to \(error.operation) (HTTP \(error.status): \(summary))")
    }
}
