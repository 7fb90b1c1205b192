import DNS01
import ProviderKit

/// Turns Cloud DNS and token failures into the `DNS01Error`s cert-manager shows on a Challenge:
/// stable across retries, saying what to fix, naming where the credentials come from and never
/// their value.
enum CloudDNSErrorMessages {
    /// A token endpoint (OAuth2, STS, the metadata server) refused or failed.
    static func tokenFailure(_ error: any Error, origin: String, endpoint: String, advice: String) -> DNS01Error {
        switch error {
        case let error as DNS01Error:
            return error
        case let error as GoogleTokenError:
            if error.isRetryable {
                return DNS01Error(.providerUnavailable, "the Google token endpoint \(endpoint) kept failing for \(origin) (\(error.summary)) through every retry; cert-manager will try again")
            }
            return DNS01Error(.credentialsUnavailable, "the Google token endpoint \(endpoint) refused \(origin) (\(error.summary)): \(advice)")
        case let error as TransportError:
            return DNS01Error(.providerUnavailable, "cannot reach the Google token endpoint \(endpoint) for \(origin): \(error.underlying)")
        default:
            return DNS01Error(.credentialsUnavailable, "cannot get an access token for \(origin) from \(endpoint): \(PlainErrorText.describe(error))")
        }
    }

    /// A Cloud DNS API call failed.
    static func dnsFailure(_ error: any Error, name: DomainName, project: String, origin: String, endpoint: BaseURL) -> DNS01Error {
        switch error {
        case let error as DNS01Error:
            return error
        case let refused as CloudDNSClient.TokenRefused:
            return dnsFailure(refused.error, name: name, project: project, origin: origin, endpoint: endpoint)
        case let error as GoogleAPIError:
            let summary = error.summary
            switch error.status {
            case 401:
                return DNS01Error(.credentialsUnavailable, "Cloud DNS does not accept the access token of \(origin) (\(summary)): the token endpoint issued a token the API refuses; check the key or identity and the machine's clock")
            case 403 where !error.isRetryable:
                return DNS01Error(
                    .providerRejected,
                    "Cloud DNS refused to \(error.operation) for \(origin) (\(summary)): grant it roles/dns.admin (or dns.changes.create, dns.changes.get, dns.managedZones.list, dns.resourceRecordSets.list) on project \(project)")
            case 404 where error.message?.contains("entity.change") != true:
                return DNS01Error(.zoneNotFound, "Cloud DNS could not \(error.operation) in project \(project) (\(summary)): check project and hostedZoneName")
            default:
                if error.isConflict {
                    return DNS01Error(.providerUnavailable, "another writer kept changing the TXT set at \(name.name) while this one tried to \(error.operation) (\(summary)); cert-manager will try again")
                }
                if error.isRetryable {
                    return DNS01Error(.providerUnavailable, "Cloud DNS kept failing to \(error.operation) (\(summary)) through every retry; cert-manager will try again")
                }
                return DNS01Error(.providerRejected, "Cloud DNS refused to \(error.operation) (\(summary))")
            }
        case let error as TransportError:
            return DNS01Error(.providerUnavailable, "cannot reach the Cloud DNS API at \(endpoint): \(error.underlying)")
        case let error as CloudDNSClient.UnreadableAnswer:
            return DNS01Error(
                .providerUnavailable,
                "the Cloud DNS API at \(endpoint) answered a request to \(error.operation) with something that is not its JSON: is endpoint the API's base URL (\(CloudDNSConfiguration.defaultEndpoint))?")
        case let error as ValueSetWriterError:
            return DNS01Error(.providerUnavailable, "the TXT set at \(name.name): \(error)")
        default:
            return DNS01Error(.providerUnavailable, "Cloud DNS API at \(endpoint): \(PlainErrorText.describe(error))")
        }
    }
}
