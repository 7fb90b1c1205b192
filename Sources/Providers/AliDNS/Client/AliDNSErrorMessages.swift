import DNS01
import ProviderKit

/// Turns API failures into the `DNS01Error`s cert-manager shows on the Challenge: stable (no
/// request ids, no server-side strings to sign, no timestamps, so cert-manager does not
/// re-queue on every attempt) and saying what to fix.
enum AliDNSErrorMessages {
    /// A failed AliDNS call for `name`, made with keys from `origin`.
    static func dnsFailure(_ error: any Error, name: String, origin: String, endpoint: BaseURL) -> DNS01Error {
        switch error {
        case let error as DNS01Error:
            return error
        case let error as RetryWithFreshKeys:
            return dnsFailure(error.underlying, name: name, origin: origin, endpoint: endpoint)
        case let error as AliAPIError:
            return apiFailure(error, name: name, origin: origin, endpoint: endpoint)
        case let error as TransportError:
            return DNS01Error(.providerUnavailable, "cannot reach AliDNS at \(endpoint): \(error.underlying)")
        case let error as AliResponseDecodingError:
            return DNS01Error(.providerUnavailable, "AliDNS at \(endpoint) answered \(error.action) with a response this provider cannot read")
        default:
            return DNS01Error.wrapping(error, context: "AliDNS at \(endpoint)")
        }
    }

    private static func apiFailure(_ error: AliAPIError, name: String, origin: String, endpoint: BaseURL) -> DNS01Error {
        let code = error.code
        let action = error.action
        switch code {
        case "InvalidAccessKeyId.NotFound":
            return DNS01Error(.credentialsUnavailable, "AliDNS does not know the AccessKey ID from \(origin) (\(code)): check that it is the ID of an existing AccessKey (not its secret, and not deleted)")
        case "InvalidAccessKeyId.Inactive":
            return DNS01Error(.credentialsUnavailable, "the AccessKey ID from \(origin) is disabled (\(code)): enable it in the RAM console or use another AccessKey")
        case "SignatureDoesNotMatch", "IncompleteSignature":
            return DNS01Error(.credentialsUnavailable, "AliDNS rejected the request signature (\(code)): the AccessKey secret from \(origin) does not belong to its AccessKey ID; check the secret's value")
        case "InvalidTimeStamp.Expired", "IllegalTimestamp", "InvalidTimeStamp.Format":
            return DNS01Error(.providerRejected, "AliDNS refused the request time (\(code)): this machine's clock is more than 15 minutes off; fix its time synchronisation (NTP)")
        case "IncorrectDomainUser", "InvalidDomainName.NoExist", "DomainNotExist":
            return DNS01Error(.zoneNotFound, "the domain of \(name) is not in the AliDNS account of \(origin) (\(code)): add it in the Alibaba Cloud DNS console or use that account's AccessKey")
        case "QuotaExceeded.TTL":
            return DNS01Error(.invalidConfiguration, "AliDNS refused the record's TTL (\(code)): the domain's DNS edition needs a larger ttl; set ttl to at least 600, the free edition's minimum")
        case "QuotaExceeded.Record":
            return DNS01Error(.providerRejected, "AliDNS holds too many TXT records at \(name) (\(code)): delete stale _acme-challenge records in the Alibaba Cloud DNS console")
        case "DomainRecordConflict":
            return DNS01Error(.providerRejected, "a record at \(name) conflicts with a TXT record (\(code)), usually a CNAME: remove it, or point the CNAME at a name this solver manages")
        case "DomainRecordLocked", "DomainForbidden", "RecordForbidden.BlackHole":
            return DNS01Error(.providerRejected, "AliDNS does not allow changes to \(name) (\(code)): unlock the domain or record in the Alibaba Cloud DNS console")
        default:
            break
        }
        if code.hasPrefix("InvalidSecurityToken") {
            return DNS01Error(.credentialsUnavailable, "AliDNS rejected the STS security token from \(origin) (\(code)): the temporary keys expired or the token belongs to other keys; provide fresh STS keys with their own token")
        }
        if code.hasPrefix("Forbidden") || code.hasPrefix("NoPermission") {
            return DNS01Error(
                .providerRejected,
                "the RAM identity of \(origin) may not call \(action) (\(code)): grant it AliyunDNSFullAccess, or a policy allowing alidns:DescribeDomains, alidns:DescribeDomainRecords, alidns:AddDomainRecord and alidns:DeleteDomainRecord")
        }
        if error.isThrottling {
            return DNS01Error(.providerUnavailable, "AliDNS kept throttling \(action) (\(code)) through every retry: the account makes too many API calls; cert-manager will try again")
        }
        if error.httpStatus >= 500 || code == "ServiceUnavailable" {
            return DNS01Error(.providerUnavailable, "AliDNS kept failing \(action) with HTTP \(error.httpStatus) (\(code)) through every retry; cert-manager will try again")
        }
        if error.httpStatus == 401 || error.httpStatus == 403 {
            return DNS01Error(
                .credentialsUnavailable,
                "AliDNS at \(endpoint) refused \(action) with the AccessKey from \(origin) (HTTP \(error.httpStatus)\(code == "HTTP\(error.httpStatus)" ? "" : ", \(code)")): check the AccessKey ID and secret, and that endpoint is an Alibaba Cloud DNS API"
            )
        }
        let detail = error.message.isEmpty ? "" : ": \(error.message)"
        return DNS01Error(.providerRejected, "AliDNS refused \(action) for \(name) (\(code))\(detail)")
    }

    /// A failed STS `AssumeRoleWithOIDC` exchange.
    static func stsFailure(_ error: any Error, settings: RRSACredentialSource.Settings) -> DNS01Error {
        switch error {
        case let error as DNS01Error:
            return error
        case let error as AliAPIError:
            let code = error.code
            if code.hasPrefix("AuthenticationFail.OIDCToken") {
                return DNS01Error(
                    .credentialsUnavailable,
                    "RRSA: STS refused the OIDC token from \(settings.tokenFile.path) (\(code)): it must be the pod's RRSA token (audience sts.aliyuncs.com), and the trust policy of \(settings.roleArn) must allow this service account")
            }
            switch code {
            case "EntityNotExist.Role":
                return DNS01Error(.credentialsUnavailable, "RRSA: STS does not know the role \(settings.roleArn) (\(code)): check ALIBABA_CLOUD_ROLE_ARN")
            case "EntityNotExist.OIDCProvider":
                return DNS01Error(.credentialsUnavailable, "RRSA: STS does not know the OIDC provider \(settings.oidcProviderArn) (\(code)): check ALIBABA_CLOUD_OIDC_PROVIDER_ARN and that RRSA is enabled on the cluster")
            default:
                let retried = error.isTransient ? " through every retry" : ""
                return DNS01Error(error.isTransient ? .providerUnavailable : .credentialsUnavailable, "RRSA: STS refused AssumeRoleWithOIDC for \(settings.roleArn)\(retried) (\(code))")
            }
        case let error as TransportError:
            return DNS01Error(.providerUnavailable, "RRSA: cannot reach STS at \(settings.stsEndpoint): \(error.underlying)")
        case let error as AliResponseDecodingError:
            return DNS01Error(.providerUnavailable, "RRSA: STS at \(settings.stsEndpoint) answered \(error.action) with a response this provider cannot read")
        default:
            return DNS01Error.wrapping(error, as: .credentialsUnavailable, context: "RRSA: STS at \(settings.stsEndpoint)")
        }
    }
}
