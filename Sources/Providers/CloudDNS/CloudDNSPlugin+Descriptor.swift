import DNS01

extension CloudDNSPlugin {
    public static let descriptor = ProviderDescriptor(
        name: "cloudDNS",
        aliases: ["clouddns"],
        title: "Google Cloud DNS",
        summary: "Google Cloud DNS with cert-manager's `cloudDNS` block; every write is a change set that fails instead of losing a concurrent writer's value.",
        apiDocumentation: "https://cloud.google.com/dns/docs/reference/rest/v1",
        fields: [
            ConfigField("project", .string, required: true, "The ID of the Google Cloud project that holds the managed zones."),
            ConfigField("serviceAccountSecretRef", .secretReference, "A Secret holding a service-account key (the JSON file). Without it, ambient credentials are used when the challenge allows them."),
            ConfigField("hostedZoneName", .string, "The managed zone's **name** (such as `example-com`), not its DNS name; skips the zone lookup."),
            ConfigField("endpoint", .url, default: "https://dns.googleapis.com/dns/v1", issuerRestricted: true, "The Cloud DNS API base URL."),
            ConfigField(
                "tokenEndpoint", .url, default: "https://oauth2.googleapis.com/token", issuerRestricted: true,
                "The OAuth2 token endpoint for service-account keys; by default the key's own `token_uri` (from an Issuer's Secret only when it is one of Google's hosts)."),
            ConfigField("stsEndpoint", .url, default: "https://sts.googleapis.com/v1/token", issuerRestricted: true, "The Security Token Service for workload identity federation; by default the credentials file's `token_url`."),
            ConfigField("metadataEndpoint", .url, default: "http://169.254.169.254", issuerRestricted: true, "The GCE/GKE metadata server; by default `GCE_METADATA_HOST`, else 169.254.169.254. Only the operator can set it (it is plain http)."),
        ],
        authModes: [
            AuthMode(
                "service-account key",
                "`serviceAccountSecretRef`: a JSON key (`\"type\": \"service_account\"`). A JWT signed with the key (RS256) is exchanged at the token endpoint for an access token with the `ndev.clouddns.readwrite` scope."),
            AuthMode(
                "Application Default Credentials file", ambient: true,
                "`GOOGLE_APPLICATION_CREDENTIALS` names a service-account key, or an `external_account` file for workload identity federation: the subject token in its `credential_source.file` (read again at every exchange, so a rotated projected token is picked up) is exchanged at Google's STS, and for a service account's token when the file has `service_account_impersonation_url`."
            ),
            AuthMode(
                "metadata server", ambient: true,
                "GKE Workload Identity or the GCE instance's service account: the token of `computeMetadata/v1/instance/service-accounts/default`, asked with `Metadata-Flavor: Google` (and answered with it, or refused)."),
        ],
        ambientCredentials: "When the challenge allows ambient credentials and no `serviceAccountSecretRef` is set: the file `GOOGLE_APPLICATION_CREDENTIALS` names, then the metadata server. gcloud's own user credentials file is not read.",
        officialHosts: OfficialHosts(["dns.googleapis.com", "oauth2.googleapis.com", "sts.googleapis.com", "accounts.google.com"]),
        recordModel: .preconditionedSet,
        example: """
            project: my-project
            serviceAccountSecretRef:
              name: clouddns-dns01-solver-svc-acct
              key: key.json
            """,
        migration: """
            From cert-manager's built-in solver: move the `cloudDNS` block (or the old `clouddns` key) under the webhook solver's `config` as it is (`project`, `serviceAccountSecretRef`, `hostedZoneName`) and set `groupName` and `solverName: cloudDNS`; nothing else changes. The Secret stays in the Issuer's namespace (or cert-manager's cluster resource namespace for a ClusterIssuer). Ambient credentials work as before for ClusterIssuers, but they are now the **webhook's** pod's: give the webhook's Kubernetes service account the Workload Identity binding (or mount `GOOGLE_APPLICATION_CREDENTIALS` into the webhook) that cert-manager's controller had. The service account needs `roles/dns.admin` on the project, or `dns.changes.create`, `dns.changes.get`, `dns.managedZones.list`, `dns.resourceRecordSets.list`.
            """,
        notes: """
            **Zone**: `hostedZoneName` if set; otherwise the managed zone of the project with the longest DNS name that holds the record name. When a public and a private zone have the same DNS name, the **public** one is used (as cert-manager does), since that is the one the ACME server sees. **Records**: one TXT set per name holds every value. Present adds its value (creating the set with TTL 60, as cert-manager does; an existing set keeps its TTL) and CleanUp removes only its own value, deleting the set when it was the last. Each write is one change whose deletions repeat the set exactly as read, so a concurrent writer makes it fail (HTTP 412 `conditionNotMet`, 409 `alreadyExists`) instead of being lost; the set is read again and the change retried with backoff. A `pending` change is polled every second, as cert-manager does. A warm Present or CleanUp costs two API calls (read the set, change it). **Tokens** are cached per identity until shortly before they expire (a fifth of their life, one to five minutes), and renewed once when the API refuses one. **Issuer policy**: an Issuer may point `endpoint`, `tokenEndpoint` and `stsEndpoint` only at Google's hosts, and the `token_uri` of a key from an Issuer's Secret is held to the same rule; `metadataEndpoint` is for the operator only.
            """
    )
}
