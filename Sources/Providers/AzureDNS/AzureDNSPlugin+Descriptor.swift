import DNS01

extension AzureDNSPlugin {
    public static let descriptor = ProviderDescriptor(
        name: "azureDNS",
        title: "Azure DNS",
        summary: "Azure DNS, a drop-in for cert-manager's built-in azureDNS solver: same config, the TXT record set rewritten under its ETag so concurrent writers never lose a value.",
        apiDocumentation: "https://learn.microsoft.com/en-us/rest/api/dns/record-sets",
        fields: [
            ConfigField("subscriptionID", .string, required: true, "The ID of the subscription that holds the DNS zones."),
            ConfigField("resourceGroupName", .string, required: true, "The resource group of the DNS zones."),
            ConfigField("hostedZoneName", .string, "The DNS zone to write in; without it, the longest zone of the resource group that holds the record name."),
            ConfigField(
                "environment", .oneOf(["AzurePublicCloud", "AzureChinaCloud", "AzureUSGovernmentCloud"]), default: "AzurePublicCloud",
                "The Azure cloud: its Resource Manager, Entra ID authority and token audience. `AzureCloud` and `AzureUSGovernment` are accepted as cert-manager's SDK accepts them; `AzureGermanCloud` is refused (the cloud is closed)."),
            ConfigField("zoneType", .oneOf(["AzurePublicZone"]), default: "AzurePublicZone", "Accepted for cert-manager's blocks; `AzurePrivateZone` is refused, since the ACME server cannot see a private zone."),
            ConfigField("clientID", .string, "A service principal's application (client) ID; with `clientSecretSecretRef` and `tenantID`."),
            ConfigField("clientSecretSecretRef", .secretReference, "The service principal's client secret (its value, not its ID), from a Secret."),
            ConfigField("tenantID", .string, "The Entra ID tenant of the service principal."),
            ConfigField(
                "managedIdentity",
                .object([
                    ConfigField("clientID", .string, "The client ID of the managed identity (IMDS) or of the workload identity's application (instead of `AZURE_CLIENT_ID`)."),
                    ConfigField("resourceID", .string, "The resource ID of a user-assigned managed identity (IMDS only)."),
                    ConfigField("tenantID", .string, "The tenant of the workload identity's application (instead of `AZURE_TENANT_ID`); needs `clientID`."),
                ]),
                "Which ambient identity to use, when the challenge allows ambient credentials and no service principal is set."),
            ConfigField("endpoint", .url, default: "the cloud's Resource Manager", issuerRestricted: true, "Resource Manager's base URL (a local model of the API in tests)."),
            ConfigField("authorityEndpoint", .url, default: "the cloud's Entra ID authority", issuerRestricted: true, "Entra ID's authority host, where token requests go (`/<tenant>/oauth2/v2.0/token` below it)."),
        ],
        authModes: [
            AuthMode("client secret", "`clientID`, `clientSecretSecretRef` and `tenantID`: the client credentials grant at Entra ID's token endpoint."),
            AuthMode(
                "workload identity", ambient: true,
                "When `AZURE_FEDERATED_TOKEN_FILE` is set (Azure Workload Identity): the service account token in that file, read again for every token, is the client assertion for `AZURE_CLIENT_ID` in `AZURE_TENANT_ID` (or `managedIdentity.clientID` and `tenantID`), at `AZURE_AUTHORITY_HOST` when the block names no `environment`."
            ),
            AuthMode(
                "managed identity", ambient: true,
                "Otherwise the instance metadata service (`Metadata: true`), for `managedIdentity.clientID` or `resourceID`, or the node's only identity; `AZURE_POD_IDENTITY_AUTHORITY_HOST` moves it, as in azure-identity."),
        ],
        ambientCredentials: "When the challenge allows ambient credentials and the block has no `clientID`: workload identity when `AZURE_FEDERATED_TOKEN_FILE` is set, otherwise the managed identity from the instance metadata service.",
        officialHosts: OfficialHosts(AzureCloud.officialHosts),
        recordModel: .preconditionedSet,
        example: """
            clientID: a1a1a1a1-0000-4000-8000-000000000001
            clientSecretSecretRef:
              name: azuredns-config
              key: client-secret
            subscriptionID: 11111111-2222-4333-8444-555555555555
            tenantID: 72f988bf-0000-4000-8000-00000000aaaa
            resourceGroupName: dns-rg
            hostedZoneName: example.com
            environment: AzurePublicCloud
            """,
        migration: """
            From cert-manager's built-in `azureDNS` solver: change `azureDNS:` under `dns01` to `webhook: {groupName: <this webhook's group>, solverName: azureDNS, config: <the same block>}`; every field keeps its meaning. The client secret's Secret stays in the Issuer's namespace (a ClusterIssuer's in cert-manager's cluster resource namespace) and the webhook's service account must be allowed to read it. For workload identity, give the *webhook's* service account the `azure.workload.identity/client-id` annotation and its pod the `azure.workload.identity/use: "true"` label, and add a federated credential for `system:serviceaccount:<webhook namespace>:<webhook service account>`; for a managed identity, nothing changes. Both solvers write the same record set with ETag preconditions, so they can serve one name during the move.

            Where this provider differs from cert-manager, and why: the record at a zone's apex (a delegated `_acme-challenge` zone) is written as `@`, where cert-manager writes the full name into the zone; `AzureGermanCloud` is refused when the config is loaded instead of failing every challenge; `AZURE_AUTHORITY_HOST` is honoured for workload identity when the block names no `environment` (cert-manager always passes its cloud's authority, so the variable is ignored there); a write that loses a race (412) is read again and retried at once instead of failing the challenge until cert-manager's next attempt; without `hostedZoneName` the zone is the longest zone of the resource group (one listing, cached), not an SOA lookup in public DNS; surrounding whitespace of the client secret in the Secret (the newline `echo | base64` leaves) is ignored; `zoneType: AzurePrivateZone` is refused.
            """,
        notes: """
            Permissions: the identity needs the DNS Zone Contributor role on the zone (or its resource group; listing the group's zones, when `hostedZoneName` is not set, needs read access to the group). Tokens are cached per identity until shortly before they expire (CredentialRefresh), so a warm Present costs two Resource Manager calls (GET and PUT) and a warm CleanUp two (GET and PUT, or DELETE when the last value goes); the first challenge of an identity adds one token request. Throttling (429 with `Retry-After`) and 5xx are retried within the challenge's time. Workload identity re-reads `AZURE_FEDERATED_TOKEN_FILE` for every token, so the kubelet's rotation of the projected token is always picked up (azure-identity re-reads it at most every ten minutes). An Issuer may not point `endpoint` or `authorityEndpoint` at other hosts than Azure's own, so it cannot send a client secret or a token elsewhere.
            """
    )
}
