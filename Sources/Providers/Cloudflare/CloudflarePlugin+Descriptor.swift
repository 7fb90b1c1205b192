import DNS01

extension CloudflarePlugin {
    public static let descriptor = ProviderDescriptor(
        name: "cloudflare",
        title: "Cloudflare",
        summary: "Cloudflare DNS, a drop-in for cert-manager's built-in cloudflare solver: same config, one record per value, created and deleted by id.",
        apiDocumentation: "https://developers.cloudflare.com/api/resources/dns/subresources/records/",
        fields: [
            ConfigField("apiTokenSecretRef", .secretReference, "An API token (`Authorization: Bearer`) from a Secret; recommended. It needs Zone:Read and DNS:Edit on the zones it serves."),
            ConfigField("apiKeySecretRef", .secretReference, "The account's global API key from a Secret (`X-Auth-Key`), instead of a token; needs `email`."),
            ConfigField("email", .string, "The Cloudflare account's email (`X-Auth-Email`); required with `apiKeySecretRef`, not used with a token."),
            ConfigField("endpoint", .url, default: "https://api.cloudflare.com/client/v4", issuerRestricted: true, "The API base URL (a local model of the API in tests)."),
        ],
        requiresOneOf: [["apiTokenSecretRef", "apiKeySecretRef"]],
        authModes: [
            AuthMode("API token", "`apiTokenSecretRef`: a token with Zone:Read and DNS:Edit, sent as `Authorization: Bearer`."),
            AuthMode("global API key", "`email` and `apiKeySecretRef`: the account's global key, sent as `X-Auth-Email` and `X-Auth-Key`."),
        ],
        ambientCredentials: nil,
        officialHosts: OfficialHosts(["api.cloudflare.com"]),
        recordModel: .recordPerValue,
        example: """
            apiTokenSecretRef:
              name: cloudflare-api-token-secret
              key: api-token
            """,
        migration: """
            From cert-manager's built-in `cloudflare` solver: change `cloudflare:` under `dns01` to `webhook: {groupName: <this webhook's group>, solverName: cloudflare, config: <the same block>}`. Keep `apiTokenSecretRef` (or `email` and `apiKeySecretRef`) as they are; the Secret stays in the Issuer's namespace (for a ClusterIssuer, cert-manager's cluster resource namespace), and the webhook's service account must be allowed to read it. Records are the same one-record-per-value TXT records cert-manager writes (TTL 60), so both solvers can serve one name during the move.
            """,
        notes: """
            No ambient credentials: every challenge uses the token or key its Secret holds, for Issuers and ClusterIssuers alike. The zone is the longest zone the credentials can see that holds the record name (the account's zone list is read once and cached for five minutes). Present creates one record and treats Cloudflare's "already exists" (81057, 81058) as success, so a warm Present costs one API call; CleanUp lists the TXT records at the name and deletes, by id, only those holding its own value (compared with any quotes Cloudflare added removed), two calls. A 429 is retried after the `Retry-After` Cloudflare sends when that fits in the challenge's time; the limit is 1200 requests per 5 minutes per user. Unlike cert-manager, surrounding whitespace of the Secret value (the newline `echo | base64` leaves) is ignored; other control characters are refused.
            """
    )
}
