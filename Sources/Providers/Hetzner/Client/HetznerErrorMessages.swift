import DNS01
import ProviderKit

/// Turns Hetzner Cloud API failures into the `DNS01Error`s cert-manager shows on the Challenge:
/// stable across retries (no correlation ids) and saying what to fix.
enum HetznerErrorMessages {
    static func failure(_ error: any Error, name: String, token: HetznerToken, endpoint: String) -> DNS01Error {
        switch error {
        case let error as DNS01Error:
            return error
        case let error as HetznerAPIError:
            return apiFailure(error, name: name, token: token, endpoint: endpoint)
        case let error as HetznerActionError:
            return DNS01Error(.providerRejected, "Hetzner Cloud could not change the TXT records at \(name): its \(error.command) action failed (\(error.code))\(error.message.isEmpty ? "" : ": \(error.message)")")
        case let error as HetznerActionTimeout:
            return DNS01Error(.providerUnavailable, "Hetzner Cloud's \(error.command) action for \(name) was still running after \(error.waited.components.seconds) s; cert-manager will try again")
        case let error as TransportError:
            return DNS01Error(.providerUnavailable, "cannot reach the Hetzner Cloud API at \(endpoint): \(error.underlying)")
        case let error as HetznerResponseDecodingError:
            return DNS01Error(.providerUnavailable, "the Hetzner Cloud API at \(endpoint) answered \(error.operation) with a response this provider cannot read")
        case is CancellationError:
            return DNS01Error(.timedOut, "the Hetzner Cloud request for \(name) was cancelled")
        default:
            return DNS01Error(.providerUnavailable, "the Hetzner Cloud API at \(endpoint) failed for \(name)")
        }
    }

    private static func apiFailure(_ error: HetznerAPIError, name: String, token: HetznerToken, endpoint: String) -> DNS01Error {
        let code = error.code
        switch code {
        case "unauthorized":
            return DNS01Error(
                .credentialsUnavailable,
                "Hetzner Cloud refused the API token from \(token.origin) (unauthorized): use an API token of the Cloud project that holds the zone (Hetzner Console, project, Security, API tokens); tokens of the old DNS Console do not work with the Cloud API"
            )
        case "token_readonly":
            return DNS01Error(.credentialsUnavailable, "the Hetzner Cloud API token from \(token.origin) is read-only (token_readonly): create a token with Read & Write permission")
        case "forbidden":
            return DNS01Error(.credentialsUnavailable, "the Hetzner Cloud API token from \(token.origin) may not \(error.operation) (forbidden)")
        case "rate_limit_exceeded":
            return DNS01Error(.providerUnavailable, "Hetzner Cloud kept refusing \(error.operation) for \(name) with rate_limit_exceeded through every retry: the project makes too many API calls; cert-manager will try again")
        case "deprecated_api_endpoint":
            return DNS01Error(.providerRejected, "Hetzner Cloud says the API this provider calls for \(error.operation) is deprecated (deprecated_api_endpoint): update dns01-webhook")
        case "not_found" where error.operation == "add_records":
            return DNS01Error(.zoneNotFound, "the zone of \(name) is not in the Hetzner Cloud project of the token from \(token.origin) (not_found): create the zone in the Hetzner Console, or check zoneName")
        default:
            break
        }
        if error.isTransient {
            return DNS01Error(.providerUnavailable, "Hetzner Cloud kept failing \(error.operation) for \(name) with HTTP \(error.status) (\(code)) through every retry; cert-manager will try again")
        }
        if error.status == 401 || error.status == 403 {
            return DNS01Error(
                .credentialsUnavailable, "the Hetzner Cloud API at \(endpoint) refused the API token from \(token.origin) (HTTP \(error.status)): check the token, and that hcloudEndpoint is the Cloud API")
        }
        let detail = error.message.isEmpty ? "" : ": \(error.message)"
        return DNS01Error(.providerRejected, "Hetzner Cloud refused \(error.operation) for \(name) (\(code))\(detail)")
    }
}
