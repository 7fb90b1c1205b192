import DNS01
import ProviderKit

/// Turns PowerDNS API failures into the `DNS01Error`s cert-manager shows on the Challenge:
/// stable across retries and saying what to fix.
enum PDNSErrorMessages {
    struct Context {
        var name: String
        var host: String
        var serverID: String
        var keyOrigin: String
        var keyHeader: String
        var secrets: [SecretValue]
    }

    static func failure(_ error: any Error, _ context: Context) -> DNS01Error {
        switch error {
        case let error as DNS01Error:
            return error
        case let error as PDNSAPIError:
            return apiFailure(error, context)
        case let error as ValueSetWriterError:
            return DNS01Error(.providerUnavailable, "PowerDNS: \(error.description) at \(context.name); another tool or a second webhook replica keeps rewriting it; cert-manager will try again")
        case let error as TransportError:
            return DNS01Error(.providerUnavailable, "cannot reach the PowerDNS API at \(context.host): \(error.underlying)")
        case let error as PDNSResponseDecodingError:
            return DNS01Error(.providerUnavailable, "the PowerDNS API at \(context.host) answered \(error.operation) with a response this provider cannot read: is host the base URL of the PowerDNS API (without /api/v1)?")
        case is CancellationError:
            return DNS01Error(.timedOut, "the PowerDNS request for \(context.name) was cancelled")
        default:
            return DNS01Error(.providerUnavailable, "the PowerDNS API at \(context.host) failed for \(context.name)")
        }
    }

    private static func apiFailure(_ error: PDNSAPIError, _ context: Context) -> DNS01Error {
        let detail = error.message.isEmpty ? "" : ": " + error.message.redacting(context.secrets)
        switch error.status {
        case 401, 403:
            return DNS01Error(
                .credentialsUnavailable,
                "the PowerDNS API at \(context.host) refused the API key from \(context.keyOrigin) (HTTP \(error.status)): it must equal the server's api-key setting, sent in the \(context.keyHeader) header (apiKeyHeaderName, apiKeyScheme)")
        case 404 where error.operation == "read the server's version" || error.operation == "list zones":
            return DNS01Error(.providerRejected, "the PowerDNS API at \(context.host) has no server \"\(context.serverID)\" (HTTP 404): serverID is normally localhost, and host is the API's base URL without /api/v1")
        case 404:
            return DNS01Error(.zoneNotFound, "the PowerDNS server at \(context.host) no longer has the zone of \(context.name) (HTTP 404)")
        case 429, 502, 503, 504:
            return DNS01Error(.providerUnavailable, "the PowerDNS API at \(context.host) kept answering HTTP \(error.status) to \(error.operation) for \(context.name) through every retry; cert-manager will try again")
        case 500...:
            return DNS01Error(.providerUnavailable, "the PowerDNS server at \(context.host) failed to \(error.operation) for \(context.name) (HTTP \(error.status))\(detail)")
        default:
            return DNS01Error(.providerRejected, "the PowerDNS API at \(context.host) refused to \(error.operation) at \(context.name) (HTTP \(error.status))\(detail)")
        }
    }
}
