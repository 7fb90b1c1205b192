import DNS01
import ProviderKit

/// Turns API failures into the `DNS01Error`s cert-manager shows on the Challenge: stable (no
/// request ids, no timestamps, so cert-manager does not re-queue on every attempt) and saying
/// what to fix, down to the CAM action a policy must allow.
enum DNSPodErrorMessages {
    /// The CAM actions this provider calls; a policy allowing them is enough.
    static let camActions = ["dnspod:DescribeDomainList", "dnspod:DescribeRecordList", "dnspod:DescribeRecord", "dnspod:CreateRecord", "dnspod:DeleteRecord"]

    /// A failed DNSPod call for `name`, made with keys from `origin`.
    static func dnsFailure(_ error: any Error, name: String, origin: String, endpoint: BaseURL) -> DNS01Error {
        switch error {
        case let error as DNS01Error:
            return error
        case let error as RetryWithFreshTencentKeys:
            return dnsFailure(error.underlying, name: name, origin: origin, endpoint: endpoint)
        case let error as TencentAPIError:
            return apiFailure(error, name: name, origin: origin, endpoint: endpoint)
        case let error as TransportError:
            return DNS01Error(.providerUnavailable, "cannot reach DNSPod at \(endpoint): \(error.underlying)")
        case let error as TencentResponseDecodingError:
            return DNS01Error(.providerUnavailable, "DNSPod at \(endpoint) answered \(error.action) with a response this provider cannot read")
        default:
            return DNS01Error.wrapping(error, context: "DNSPod at \(endpoint)")
        }
    }

    private static func apiFailure(_ error: TencentAPIError, name: String, origin: String, endpoint: BaseURL) -> DNS01Error {
        let code = error.code
        let action = error.action
        switch code {
        case "AuthFailure.SecretIdNotFound", "AuthFailure.InvalidSecretId", "InvalidParameter.InvalidSecretId":
            return DNS01Error(.credentialsUnavailable, "DNSPod does not know the SecretId from \(origin) (\(code)): check that it is the SecretId of an existing, enabled API key in the CAM console (not its SecretKey)")
        case "AuthFailure.SignatureFailure", "AuthFailure.InvalidAuthorization", "InvalidParameter.InvalidSignature":
            return DNS01Error(.credentialsUnavailable, "DNSPod rejected the request signature (\(code)): the SecretKey from \(origin) does not belong to its SecretId; check the secret's value")
        case "AuthFailure.SignatureExpire":
            return DNS01Error(.providerRejected, "DNSPod refused the request time (\(code)): this machine's clock is more than 5 minutes off; fix its time synchronisation (NTP)")
        case "AuthFailure.TokenFailure":
            return DNS01Error(
                .credentialsUnavailable,
                "DNSPod rejected the session token of the temporary key from \(origin) (\(code)): the key expired, or the token belongs to another key; provide a fresh temporary key with its own token (sessionTokenRef), or a permanent API key without one"
            )
        case "AuthFailure.MFAFailure":
            return DNS01Error(.credentialsUnavailable, "DNSPod requires multi-factor authentication for the CAM identity of \(origin) (\(code)): use an API key of a sub-user whose API access needs no MFA")
        case "InvalidParameterValue.DomainNotExists", "InvalidParameter.DomainIdInvalid", "InvalidParameter.DomainInvalid":
            return DNS01Error(.zoneNotFound, "the domain of \(name) is not in the DNSPod account of \(origin) (\(code)): add it in the DNSPod console or use that account's API key")
        case "LimitExceeded.RecordTtlLimit":
            return DNS01Error(.invalidConfiguration, "DNSPod refused the record's TTL (\(code)): the domain's plan needs a larger ttl; set ttl to at least 600, the free plan's minimum")
        case "InvalidParameter.RecordLineInvalid", "InvalidParameter.LineNotExist":
            return DNS01Error(.invalidConfiguration, "DNSPod does not offer the recordLine of the config on the domain of \(name) (\(code)): leave recordLine empty for the default line (默认), or use a line the domain's plan has")
        case "InvalidParameter.SubdomainInvalid", "LimitExceeded.SubdomainLevelLimit":
            return DNS01Error(.providerRejected, "DNSPod refused the record name of \(name) (\(code)): the domain's plan does not allow a name this deep")
        case "InvalidParameter.DomainRecordExist":
            return DNS01Error(.providerRejected, "a record at \(name) conflicts with the TXT record (\(code))")
        case "FailedOperation.DomainIsLocked", "InvalidParameter.DomainNotAllowedModifyRecords", "FailedOperation.AccountIsLocked",
            "InvalidParameter.AccountIsBanned", "FailedOperation.TencentCloudForbid", "InvalidParameter.DomainInBlackList":
            return DNS01Error(.providerRejected, "DNSPod does not allow changes to \(name) (\(code)): unlock the domain or the account in the DNSPod console")
        case "OperationDenied.NoPermissionToOperateDomain", "OperationDenied.NotGrantedByOwner", "OperationDenied.DomainOwnerAllowedOnly",
            "OperationDenied.NotManagedUser", "OperationDenied.NotResourceOwner":
            return DNS01Error(.providerRejected, "the account of \(origin) may not change records of the domain of \(name) (\(code)): the domain is shared with it without write permission; ask its owner to grant it, or use the owner's API key")
        default:
            break
        }
        if code.hasPrefix("AuthFailure.UnauthorizedOperation") || code.hasPrefix("UnauthorizedOperation") || code == "OperationDenied.AccessDenied" || code == "AuthFailure" {
            return DNS01Error(.providerRejected, "the CAM identity of \(origin) may not call dnspod:\(action) (\(code)): grant it QcloudDNSPodFullAccess, or a policy allowing \(camActions.joined(separator: ", "))")
        }
        if error.isThrottling {
            return DNS01Error(.providerUnavailable, "DNSPod kept throttling \(action) (\(code)) through every retry: the account makes too many API calls; cert-manager will try again")
        }
        if error.isTransient {
            let status = error.httpStatus == 200 ? "" : " with HTTP \(error.httpStatus)"
            return DNS01Error(.providerUnavailable, "DNSPod kept failing \(action)\(status) (\(code)) through every retry; cert-manager will try again")
        }
        if error.httpStatus == 401 || error.httpStatus == 403 {
            return DNS01Error(
                .credentialsUnavailable,
                "DNSPod at \(endpoint) refused \(action) with the keys from \(origin) (HTTP \(error.httpStatus)\(code == "HTTP\(error.httpStatus)" ? "" : ", \(code)")): check the SecretId and SecretKey, and that endpoint is a Tencent Cloud API")
        }
        let detail = error.message.isEmpty ? "" : ": \(error.message)"
        return DNS01Error(.providerRejected, "DNSPod refused \(action) for \(name) (\(code))\(detail)")
    }

    /// A failed STS `AssumeRoleWithWebIdentity` exchange.
    static func stsFailure(_ error: any Error, settings: WebIdentityCredentialSource.Settings) -> DNS01Error {
        switch error {
        case let error as DNS01Error:
            return error
        case let error as TencentAPIError:
            let code = error.code
            switch code {
            case "InvalidParameter.WebIdentityTokenError":
                return DNS01Error(
                    .credentialsUnavailable,
                    "TKE OIDC: STS refused the web identity token from \(settings.tokenFile.path) (\(code)): it must be the pod's projected service account token for the identity provider \(settings.providerId), and the trust policy of \(settings.roleArn) must allow this service account"
                )
            case "ResourceNotFound.RoleNotExist":
                return DNS01Error(.credentialsUnavailable, "TKE OIDC: STS does not know the role \(settings.roleArn) (\(code)): check TKE_ROLE_ARN")
            case "InvalidParameter.ParamError":
                return DNS01Error(.credentialsUnavailable, "TKE OIDC: STS refused the identity provider \(settings.providerId) (\(code)): check TKE_PROVIDER_ID and the OIDC identity provider in the CAM console")
            default:
                let retried = error.isTransient ? " through every retry" : ""
                return DNS01Error(error.isTransient ? .providerUnavailable : .credentialsUnavailable, "TKE OIDC: STS refused AssumeRoleWithWebIdentity for \(settings.roleArn)\(retried) (\(code))")
            }
        case let error as TransportError:
            return DNS01Error(.providerUnavailable, "TKE OIDC: cannot reach STS at \(settings.stsEndpoint): \(error.underlying)")
        case let error as TencentResponseDecodingError:
            return DNS01Error(.providerUnavailable, "TKE OIDC: STS at \(settings.stsEndpoint) answered \(error.action) with a response this provider cannot read")
        default:
            return DNS01Error.wrapping(error, as: .credentialsUnavailable, context: "TKE OIDC: STS at \(settings.stsEndpoint)")
        }
    }
}
