import DNS01
import ProviderKit

/// cert-manager's order for choosing the identity, each step tested:
/// 1. `clientID` (with `clientSecretSecretRef` and `tenantID`): the service principal's secret;
/// 2. otherwise ambient credentials must be allowed (ClusterIssuers), or cert-manager's error;
/// 3. `AZURE_FEDERATED_TOKEN_FILE` set: workload identity, `managedIdentity.clientID` and
///    `tenantID` taking precedence over `AZURE_CLIENT_ID` and `AZURE_TENANT_ID`;
/// 4. otherwise the managed identity from the instance metadata service, chosen by
///    `managedIdentity.clientID` or `resourceID` (at `AZURE_POD_IDENTITY_AUTHORITY_HOST` when
///    set, as azure-identity does; `http://169.254.169.254` otherwise).
enum AzureIdentityResolver {
    static let instanceMetadataService = BaseURL(scheme: "http", authority: "169.254.169.254")

    static func resolve(_ configuration: AzureDNSConfiguration, context: ProviderContext) async throws -> AzureIdentity {
        let path = configuration.path
        switch configuration.credentials {
        case .clientSecret(let clientID, let tenantID, let reference):
            try AzureDNSConfiguration.checkTenant(tenantID, what: "\(path.appending("tenantID"))")
            let field = path.appending("clientSecretSecretRef")
            let secret = try await context.secret(reference, field: field)
            return .clientSecret(
                tenantID: tenantID, clientID: clientID, secret: SecretValue(secret.text),
                authority: configuration.authorityEndpoint ?? configuration.cloud.authorityHost, field: field,
                secretName: "\(context.namespace)/\(reference.name)")
        case .ambient(let selected):
            guard context.allowAmbientCredentials else {
                throw DNS01Error(
                    .credentialsUnavailable,
                    "\(path): clientID was omitted and this challenge may not use ambient credentials (cert-manager allows them for ClusterIssuers, --cluster-issuer-ambient-credentials, and for Issuers only with --issuer-ambient-credentials): set clientID, clientSecretSecretRef and tenantID, or use a ClusterIssuer (the CLI: --allow-ambient-credentials)"
                )
            }
            let environment = context.environment
            if let tokenFile = environment["AZURE_FEDERATED_TOKEN_FILE"]?.nonEmpty {
                guard let clientID = selected.clientID ?? environment["AZURE_CLIENT_ID"]?.nonEmpty else {
                    throw DNS01Error(
                        .credentialsUnavailable,
                        "\(path): workload identity has no client ID: set managedIdentity.clientID, or AZURE_CLIENT_ID in the webhook's environment (the workload identity webhook sets it from the service account's azure.workload.identity/client-id annotation)"
                    )
                }
                guard let tenantID = selected.tenantID ?? environment["AZURE_TENANT_ID"]?.nonEmpty else {
                    throw DNS01Error(.credentialsUnavailable, "\(path): workload identity has no tenant ID: set managedIdentity.tenantID, or AZURE_TENANT_ID in the webhook's environment")
                }
                try AzureDNSConfiguration.checkTenant(tenantID, what: selected.tenantID != nil ? "\(path.appending("managedIdentity").appending("tenantID"))" : "AZURE_TENANT_ID")
                return .workloadIdentity(tenantID: tenantID, clientID: clientID, tokenFile: tokenFile, authority: try authority(for: configuration, environment: environment))
            }
            let endpoint: BaseURL
            if let host = environment["AZURE_POD_IDENTITY_AUTHORITY_HOST"]?.nonEmpty {
                guard let url = BaseURL(host) else {
                    throw DNS01Error(.credentialsUnavailable, "AZURE_POD_IDENTITY_AUTHORITY_HOST in the webhook's environment must be an http(s) URL such as http://169.254.169.254, got \"\(host)\"")
                }
                endpoint = url
            } else {
                endpoint = instanceMetadataService
            }
            return .managedIdentity(endpoint: endpoint, clientID: selected.clientID, resourceID: selected.resourceID)
        }
    }

    /// The authority workload identity asks: the block's `authorityEndpoint`; then, when the
    /// block does not name its cloud, `AZURE_AUTHORITY_HOST` (which the workload identity
    /// webhook sets; cert-manager ignores it); then the cloud's own.
    private static func authority(for configuration: AzureDNSConfiguration, environment: [String: String]) throws -> BaseURL {
        if let authority = configuration.authorityEndpoint { return authority }
        if !configuration.environmentGiven, let host = environment["AZURE_AUTHORITY_HOST"]?.nonEmpty {
            guard let url = BaseURL(host) else {
                throw DNS01Error(.credentialsUnavailable, "AZURE_AUTHORITY_HOST in the webhook's environment must be an https URL such as https://login.microsoftonline.com/, got \"\(host)\"")
            }
            return url
        }
        return configuration.cloud.authorityHost
    }
}
