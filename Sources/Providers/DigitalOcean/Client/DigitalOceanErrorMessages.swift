import DNS01
import ProviderKit

/// Turns DigitalOcean failures into `DNS01Error`s: stable across retries (no request ids, no
/// reset times), saying what to fix, naming the token's config field and never its value.
enum DigitalOceanErrorMessages {
    static func failure(_ error: any Error, name: DomainName, token: DigitalOceanToken, endpoint: BaseURL) -> DNS01Error {
        switch error {
        case let error as DNS01Error:
            return error
        case let error as DigitalOceanAPIError:
            return apiFailure(error, name: name, token: token)
        case let error as TransportError:
            return DNS01Error(.providerUnavailable, "cannot reach the DigitalOcean API at \(endpoint): \(error.underlying)")
        case let error as DigitalOceanUnreadableResponse:
            return DNS01Error(
                .providerUnavailable, "the DigitalOcean API at \(endpoint) answered a request to \(error.operation) with something this provider cannot read: is endpoint the API's base URL (\(DigitalOceanConfiguration.defaultEndpoint))?")
        default:
            return DNS01Error(.providerUnavailable, "DigitalOcean API at \(endpoint): \(PlainErrorText.describe(error))")
        }
    }

    private static func apiFailure(_ error: DigitalOceanAPIError, name: DomainName, token: DigitalOceanToken) -> DNS01Error {
        let said = "HTTP \(error.status) \(error.id)\(error.message.isEmpty ? "" : ": \(error.message.redacting([token.secret]))")"
        switch error.status {
        case 401:
            return DNS01Error(.credentialsUnavailable, "DigitalOcean does not accept \(token.origin) (\(said)): check that the Secret holds a valid personal access token that has not been revoked or expired")
        case 403:
            return DNS01Error(.providerRejected, "DigitalOcean refused to \(error.operation) with \(token.origin) (\(said)): the token needs the write scope (or domain read, create and delete) for \(name.name)")
        case 429:
            return DNS01Error(.providerUnavailable, "DigitalOcean kept rate-limiting requests to \(error.operation) (\(said)) through every retry: a token may make 250 requests a minute and 5000 an hour; cert-manager will try again")
        case 500...:
            return DNS01Error(.providerUnavailable, "DigitalOcean kept failing to \(error.operation) with \(said) through every retry; cert-manager will try again")
        default:
            return DNS01Error(.providerRejected, "DigitalOcean refused to \(error.operation) (\(said))")
        }
    }
}
