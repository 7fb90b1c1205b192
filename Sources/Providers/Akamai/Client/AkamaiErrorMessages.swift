import DNS01
import ProviderKit

/// Turns Akamai failures into `DNS01Error`s: stable across retries (no request ids or times),
/// saying what to fix, naming the config field of the credential at fault and never its value.
enum AkamaiErrorMessages {
    static func failure(_ error: any Error, name: DomainName, credentials: AkamaiCredentials, endpoint: BaseURL) -> DNS01Error {
        switch error {
        case let error as DNS01Error:
            return error
        case let error as AkamaiAPIError:
            return apiFailure(error, name: name, credentials: credentials)
        case let error as TransportError:
            return DNS01Error(.providerUnavailable, "cannot reach the Akamai API at \(endpoint): \(error.underlying)")
        case is ValueSetWriterError:
            return DNS01Error(
                .providerUnavailable,
                "another writer kept replacing the Akamai TXT record set at \(name.name), so this change did not hold after every retry (Edge DNS has no concurrency control on record sets: is a second replica or another tool writing this name?); cert-manager will try again"
            )
        case let error as AkamaiUnreadableResponse:
            return DNS01Error(.providerUnavailable, "the Akamai API at \(endpoint) answered a request to \(error.operation) with something this provider cannot read: is serviceConsumerDomain the API client's host?")
        default:
            return DNS01Error(.providerUnavailable, "Akamai API at \(endpoint): \(PlainErrorText.describe(error))")
        }
    }

    private static func apiFailure(_ error: AkamaiAPIError, name: DomainName, credentials: AkamaiCredentials) -> DNS01Error {
        let signer = credentials.signer
        let said = "HTTP \(error.status) \(error.summary)".redacting([credentials.clientSecret, SecretValue(signer.clientToken), SecretValue(signer.accessToken)])
        let origin = credentials.origin
        if error.isAuthentication {
            let detail = error.detail.lowercased()
            if detail.contains("timestamp") {
                return DNS01Error(.providerRejected, "Akamai refused the request time (\(said)): this machine's clock is off by more than Akamai allows; fix its time synchronisation (NTP)")
            }
            if detail.contains("client token") {
                return DNS01Error(.credentialsUnavailable, "Akamai does not know the client token in \(origin) (\(credentials.clientTokenField)) (\(said)): check that it is the client_token of an active API client")
            }
            if detail.contains("access token") {
                return DNS01Error(.credentialsUnavailable, "Akamai does not accept the access token in \(origin) (\(credentials.accessTokenField)) with that client token (\(said)): check that it is the access_token of the same API client")
            }
            if detail.contains("signature") {
                return DNS01Error(.credentialsUnavailable, "Akamai refused the request signature (\(said)): the client secret in \(origin) (\(credentials.clientSecretField)) does not belong to the client token; check its value")
            }
            return DNS01Error(.credentialsUnavailable, "Akamai refused the API client's credentials in \(origin) (\(said)): check \(credentials.clientTokenField), \(credentials.clientSecretField) and \(credentials.accessTokenField)")
        }
        switch error.status {
        case 401:
            return DNS01Error(.credentialsUnavailable, "Akamai refused the API client's credentials in \(origin) (\(said)): check \(credentials.clientTokenField), \(credentials.clientSecretField) and \(credentials.accessTokenField)")
        case 403:
            return DNS01Error(.providerRejected, "Akamai refused to \(error.operation) with the API client in \(origin) (\(said)): grant it READ-WRITE access to the Edge DNS API (config-dns) and to the zone of \(name.name)")
        case 404:
            return DNS01Error(.zoneNotFound, "Akamai refused to \(error.operation) (\(said)): the zone of \(name.name) is not in Edge DNS for this API client")
        case 429:
            return DNS01Error(.providerUnavailable, "Akamai kept rate-limiting requests to \(error.operation) (\(said)) through every retry; cert-manager will try again")
        case 500...:
            return DNS01Error(.providerUnavailable, "Akamai kept failing to \(error.operation) with \(said) through every retry; cert-manager will try again")
        default:
            return DNS01Error(.providerRejected, "Akamai refused to \(error.operation) (\(said))")
        }
    }
}
