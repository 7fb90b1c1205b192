import DNS01

extension HetznerPlugin {
    public static let descriptor = ProviderDescriptor(
        name: "hetzner",
        title: "Hetzner DNS (Cloud API)",
        summary: "DNS zones of the Hetzner Cloud API, with the official Hetzner webhook's config; values are added and removed one at a time by the server, so concurrent challenges are safe.",
        apiDocumentation: "https://docs.hetzner.cloud/reference/cloud#zones",
        fields: [
            ConfigField("tokenSecretKeyRef", .secretReference, "A Hetzner Cloud API token (Read & Write) of the project that holds the zone, from a Secret (the official webhook's field)."),
            ConfigField("tokenFilePath", .string, "The token from a file mounted in the webhook's pod, instead. From an Issuer's config it is used only when ambient credentials are allowed (a ClusterIssuer)."),
            ConfigField("secretName", .string, "The older community webhook's field: a Secret whose key `api-key` holds the token (instead of `tokenSecretKeyRef`)."),
            ConfigField("zoneName", .string, "The zone to write to; otherwise the longest zone of the project that holds the record name (the older webhook's field)."),
            ConfigField("httpTimeout", .duration, default: "15s", "Per request, at most 5m."),
            ConfigField("ttl", .integer(60...86_400), default: "60", "The TTL of the TXT rrset when the challenge creates it."),
            ConfigField("endpoint", .url, default: "https://api.hetzner.cloud/v1", issuerRestricted: true, "The Cloud API base URL, with `/v1` (a local model of the API in tests, a proxy)."),
            ConfigField("hcloudEndpoint", .url, issuerRestricted: true, "The official webhook's name for `endpoint`; set one of the two."),
            ConfigField("apiUrl", .url, "The older webhook's URL of the DNS Console API, which was shut down in May 2026: refused with how to migrate (only the Cloud API's own URL is accepted)."),
        ],
        requiresOneOf: [["tokenSecretKeyRef", "tokenFilePath", "secretName"]],
        authModes: [
            AuthMode("API token", "`tokenSecretKeyRef` (or the older `secretName`, key `api-key`): a Cloud API token from a Secret in the challenge's namespace, sent as `Authorization: Bearer`."),
            AuthMode("token file", ambient: true, "`tokenFilePath`: a token file in the webhook's pod; always from the webhook's own config, from an Issuer's only when ambient credentials are allowed."),
        ],
        ambientCredentials:
            "No environment credentials; `tokenFilePath` (a file in the webhook's pod) counts as ambient: from an Issuer's config it is read only when the challenge allows ambient credentials (cert-manager allows them for ClusterIssuers).",
        officialHosts: OfficialHosts(["api.hetzner.cloud"]),
        recordModel: .serverSideValueChange,
        example: """
            tokenSecretKeyRef:
              name: hetzner
              key: token
            """,
        migration: """
            From the official Hetzner webhook (`groupName: acme.hetzner.com`, `solverName: hetzner`): keep `config` as it is (`tokenSecretKeyRef` or `tokenFilePath`; `hcloudEndpoint` and `httpTimeout` too), and set `groupName` to this webhook's group; the solver name stays `hetzner`.

            From vadimkim/cert-manager-webhook-hetzner (`secretName`, `zoneName`, `apiUrl`): that webhook used Hetzner's DNS Console API (`https://dns.hetzner.com/api/v1`), which was shut down in May 2026. Move the zone to the Hetzner Console (DNS zones of a Cloud project) if it is not there yet, create a Cloud API token with Read & Write permission in that project, put it in the Secret under the key `api-key` (or use `tokenSecretKeyRef`), and remove `apiUrl`; `secretName` and `zoneName` keep working. A config that still names the DNS Console API is refused with this advice.
            """,
        notes: """
            Present calls the rrset action `add_records` and CleanUp `remove_records`, and each waits until its action finished: the server adds or removes exactly one value, so an apex and a wildcard challenge, or two replicas, never lose each other's value. A value already present (Present repeated) and a value already gone (CleanUp repeated) are success. Without `zoneName` the zone is the longest zone of the token's project that holds the record name; cert-manager's zone hint is not trusted. The Cloud API allows 3600 requests per hour per project; throttled calls are retried with backoff within the challenge's deadline.
            """
    )
}
