import DNS01
import ProviderKit

/// Turns Azure failures into the `DNS01Error`s cert-manager shows on a Challenge: stable across
/// retries (no request, trace or correlation ids), saying what to fix, naming the identity and
/// the config field, never a secret or a token.
enum AzureErrorMessages {
    static func failure(_ error: any Error, name: DomainName, identity: AzureIdentity, configuration: AzureDNSConfiguration) -> DNS01Error {
        switch error {
        case let error as DNS01Error:
            return error
        case let error as AzureTokenError:
            return tokenFailure(error, identity: identity)
        case let error as ARMError:
            return armFailure(error, name: name, identity: identity, configuration: configuration)
        case let error as TransportError:
            return DNS01Error(.providerUnavailable, "cannot reach \(APIRequest.hostOf(error.url)) for \(identity.described): \(error.underlying)")
        case let error as ARMUnreadableResponse:
            return DNS01Error(
                .providerUnavailable,
                "Azure Resource Manager at \(configuration.endpoint) answered a request to \(error.operation) with something that is not Resource Manager's JSON: is endpoint Resource Manager's base URL (\(configuration.cloud.resourceManager))?")
        case let error as ValueSetWriterError:
            return DNS01Error(.providerUnavailable, "Azure DNS: \(error.description); cert-manager will try again")
        default:
            return DNS01Error(.providerUnavailable, "Azure DNS: \(PlainErrorText.describe(error).redacting(identity.secrets))")
        }
    }

    private static func tokenFailure(_ error: AzureTokenError, identity: AzureIdentity) -> DNS01Error {
        let said = error.summary.redacting(identity.secrets)
        if error.isRetryable {
            return DNS01Error(.providerUnavailable, "the token service kept failing for \(identity.described) (\(said)) through every retry; cert-manager will try again")
        }
        switch (error.service, identity) {
        case (.instanceMetadata, _):
            let fix =
                error.status == 400
                ? "assign the identity to the node pool (or the VM), and name it by managedIdentity.clientID or managedIdentity.resourceID when the node has several"
                : "check that the instance metadata service is reachable from the webhook's pod"
            return DNS01Error(.credentialsUnavailable, "the instance metadata service refused a token for \(identity.described) (\(said)): \(fix)")
        case (.entra, .clientSecret):
            let fix: String
            switch error.entraCode {
            case "AADSTS7000215", "AADSTS7000222":
                fix = "the Secret must hold the client secret's value (not its ID), and the secret must not have expired"
            case "AADSTS700016":
                fix = "check clientID (the application's client ID) and tenantID (the tenant the application is registered in)"
            case "AADSTS90002":
                fix = "check tenantID"
            default:
                fix = "check clientID, tenantID and the client secret in the Secret"
            }
            return DNS01Error(.credentialsUnavailable, "Entra ID refused \(identity.described) (\(said)): \(fix)")
        case (.entra, _):
            return DNS01Error(
                .credentialsUnavailable,
                "Entra ID refused \(identity.described) (\(said)): the application needs a federated credential with the cluster's service account issuer, the subject system:serviceaccount:<namespace>:<service account> of the webhook and the audience api://AzureADTokenExchange"
            )
        }
    }

    private static func armFailure(_ error: ARMError, name: DomainName, identity: AzureIdentity, configuration: AzureDNSConfiguration) -> DNS01Error {
        let said = error.summary.redacting(identity.secrets)
        let group = "resource group \(configuration.resourceGroupName) of subscription \(configuration.subscriptionID)"
        switch error.status {
        case 401:
            return DNS01Error(.credentialsUnavailable, "Azure Resource Manager refused the token of \(identity.described) to \(error.operation) (\(said)): check that environment (\(configuration.cloud.name)) is the cloud the identity belongs to")
        case 403:
            return DNS01Error(.providerRejected, "\(identity.described) may not \(error.operation) (\(said)): give it the DNS Zone Contributor role on the zone or \(group)")
        case 404 where error.code == "SubscriptionNotFound":
            return DNS01Error(.providerRejected, "Azure Resource Manager cannot find subscription \(configuration.subscriptionID) (\(said)): check subscriptionID")
        case 404 where error.code == "ResourceGroupNotFound":
            return DNS01Error(.zoneNotFound, "Azure Resource Manager cannot find \(group) (\(said)): check resourceGroupName")
        case 404:
            return DNS01Error(.zoneNotFound, "Azure DNS cannot \(error.operation) for \(name.name) (\(said)): check hostedZoneName and resourceGroupName")
        case 412:
            return DNS01Error(.providerUnavailable, "another writer kept changing the TXT record set of \(name.name) while this one tried to \(error.operation) (\(said)); cert-manager will try again")
        case 429:
            return DNS01Error(.providerUnavailable, "Azure Resource Manager kept throttling requests to \(error.operation) through every retry (\(said)); cert-manager will try again")
        case 500...:
            return DNS01Error(.providerUnavailable, "Azure DNS kept failing to \(error.operation) through every retry (\(said)); cert-manager will try again")
        default:
            return DNS01Error(.providerRejected, "Azure DNS refused to \(error.operation) (\(said))")
        }
    }
}
