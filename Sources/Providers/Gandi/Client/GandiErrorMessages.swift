import DNS01
import ProviderKit

/// Turns LiveDNS failures into the `DNS01Error`s cert-manager shows on the Challenge: stable
/// across retries and saying what to fix.
enum GandiErrorMessages {
    static func failure(_ error: any Error, name: String, domain: String?, credential: GandiCredential, endpoint: String) -> DNS01Error {
        switch error {
        case let error as DNS01Error:
            return error
        case let error as GandiAPIError:
            return apiFailure(error, name: name, domain: domain, credential: credential)
        case let error as ValueSetWriterError:
            return DNS01Error(.providerUnavailable, "Gandi LiveDNS: \(error.description) at \(name); another tool or a second webhook replica keeps rewriting it; cert-manager will try again")
        case let error as TransportError:
            return DNS01Error(.providerUnavailable, "cannot reach Gandi LiveDNS at \(endpoint): \(error.underlying)")
        case let error as GandiResponseDecodingError:
            return DNS01Error(.providerUnavailable, "Gandi LiveDNS at \(endpoint) answered \(error.operation) with a response this provider cannot read")
        case is CancellationError:
            return DNS01Error(.timedOut, "the Gandi LiveDNS request for \(name) was cancelled")
        default:
            return DNS01Error(.providerUnavailable, "Gandi LiveDNS at \(endpoint) failed for \(name)")
        }
    }

    private static func apiFailure(_ error: GandiAPIError, name: String, domain: String?, credential: GandiCredential) -> DNS01Error {
        switch error.status {
        case 401:
            let other =
                credential.type == .personalAccessToken
                ? "if the Secret holds a legacy API key instead, set apiKeyType: apiKey"
                : "Gandi deprecated API keys: create a personal access token and remove apiKeyType"
            return DNS01Error(.credentialsUnavailable, "Gandi refused the \(credential.kind) from \(credential.origin) (401 Unauthorized): it is wrong or expired; \(other)")
        case 403:
            return DNS01Error(
                .credentialsUnavailable,
                "the Gandi \(credential.kind) from \(credential.origin) may not \(error.operation) of \(domain ?? name) (403 Forbidden): give the token access to this domain (or its organization) and the permission to manage the domain's technical configuration"
            )
        case 429:
            return DNS01Error(.providerUnavailable, "Gandi LiveDNS kept throttling \(error.operation) for \(name) (429) through every retry; cert-manager will try again")
        case 500...:
            return DNS01Error(.providerUnavailable, "Gandi LiveDNS kept failing \(error.operation) for \(name) with HTTP \(error.status) through every retry; cert-manager will try again")
        default:
            let detail = error.message.isEmpty ? "" : ": " + error.message.redacting([credential.value])
            return DNS01Error(.providerRejected, "Gandi LiveDNS refused to \(error.operation) at \(name) (HTTP \(error.status))\(detail)")
        }
    }
}
