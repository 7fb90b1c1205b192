import DNS01
import ProviderKit

/// Turns OVH API failures into the `DNS01Error`s cert-manager shows on the Challenge: stable
/// across retries (no query ids) and saying what to fix.
enum OVHErrorMessages {
    /// The calls a consumer key (or an IAM policy) must allow.
    static let accessRules = "GET /domain/zone/*, POST /domain/zone/*/record, POST /domain/zone/*/refresh and DELETE /domain/zone/*/record/* (and GET /domain/zone, optionally, to list zones in one call)"

    static func failure(_ error: any Error, name: String, authenticator: OVHAuthenticator, endpoint: OVHEndpoint) -> DNS01Error {
        switch error {
        case let error as DNS01Error:
            return error
        case let error as OVHRetryAfterRefresh:
            return failure(error.underlying, name: name, authenticator: authenticator, endpoint: endpoint)
        case let error as OVHAPIError:
            return apiFailure(error, name: name, authenticator: authenticator, endpoint: endpoint)
        case let error as OVHTokenError:
            if error.status == 400 || error.status == 401 {
                return DNS01Error(.credentialsUnavailable, "OVH refused the OAuth2 client from \(authenticator.origin) (\(error.code)): check the client ID and secret of the service account (flow CLIENT_CREDENTIALS)")
            }
            return DNS01Error(.providerUnavailable, "the OVH OAuth2 token endpoint failed (\(error.code)); cert-manager will try again")
        case let error as TransportError:
            return DNS01Error(.providerUnavailable, "cannot reach the OVH API at \(endpoint.url): \(error.underlying)")
        case let error as OVHResponseDecodingError:
            return DNS01Error(.providerUnavailable, "the OVH API at \(endpoint.url) answered \(error.operation) with a response this provider cannot read")
        case is CancellationError:
            return DNS01Error(.timedOut, "the OVH request for \(name) was cancelled")
        default:
            return DNS01Error(.providerUnavailable, "the OVH API at \(endpoint.url) failed for \(name)")
        }
    }

    private static func apiFailure(_ error: OVHAPIError, name: String, authenticator: OVHAuthenticator, endpoint: OVHEndpoint) -> DNS01Error {
        let origin = authenticator.origin
        switch error.errorCode {
        case "INVALID_KEY":
            return DNS01Error(.credentialsUnavailable, "OVH does not know the application key from \(origin) (INVALID_KEY): check it, and that it was created for the endpoint \(endpoint)")
        case "INVALID_SIGNATURE":
            return DNS01Error(.credentialsUnavailable, "OVH rejected the request signature (INVALID_SIGNATURE): the application secret from \(origin) does not belong to its application key; check the secret's value")
        case "NOT_CREDENTIAL", "INVALID_CREDENTIAL":
            if case .oauth2 = authenticator {
                return DNS01Error(.credentialsUnavailable, "OVH does not accept the OAuth2 token of the client from \(origin) (\(error.code))")
            }
            return DNS01Error(.credentialsUnavailable, "OVH does not accept the consumer key from \(origin) (\(error.code)): it is unknown, expired, not validated, or belongs to another application key; create one with the rights \(accessRules)")
        case "QUERY_TIME_OUT":
            return DNS01Error(.providerRejected, "OVH refused the request time (QUERY_TIME_OUT) even after reading the server's clock again: this machine's clock is drifting fast; fix its time synchronisation (NTP)")
        case "NOT_GRANTED_CALL":
            return DNS01Error(.credentialsUnavailable, "the consumer key from \(origin) may not \(error.operation) (NOT_GRANTED_CALL): it needs the rights \(accessRules)")
        default:
            break
        }
        switch error.status {
        case 403:
            return DNS01Error(
                .credentialsUnavailable,
                "OVH forbids the \(authenticator.kind) from \(origin) to \(error.operation) (\(error.code)): for an OAuth2 client, its IAM policy must allow dnsZone:apiovh:record/create, record/get, record/delete and refresh on the zone")
        case 404 where error.operation == "list TXT records" || error.operation == "create a TXT record":
            return DNS01Error(.zoneNotFound, "the OVH account of \(origin) no longer has the zone of \(name) (\(error.code))")
        case 429:
            return DNS01Error(.providerUnavailable, "OVH kept throttling \(error.operation) for \(name) (429) through every retry; cert-manager will try again")
        case 500...:
            return DNS01Error(.providerUnavailable, "OVH kept failing \(error.operation) for \(name) with HTTP \(error.status) (\(error.code)) through every retry; cert-manager will try again")
        default:
            let detail = error.message.isEmpty ? "" : ": \(error.message)"
            return DNS01Error(.providerRejected, "OVH refused to \(error.operation) for \(name) (\(error.code))\(detail)")
        }
    }
}
