import DNS01

extension DigitalOceanPlugin {
    public static let descriptor = ProviderDescriptor(
        name: "digitalocean",
        title: "DigitalOcean",
        summary: "DigitalOcean Domains, a drop-in for cert-manager's built-in digitalocean solver: same config, one record per value, every page read.",
        apiDocumentation: "https://docs.digitalocean.com/reference/api/digitalocean/#tag/Domain-Records",
        fields: [
            ConfigField("tokenSecretRef", .secretReference, required: true, "A personal access token (`Authorization: Bearer`) from a Secret, with read and write scope (or the domain scopes: read, create, delete)."),
            ConfigField("endpoint", .url, default: "https://api.digitalocean.com", issuerRestricted: true, "The API base URL (a local model of the API in tests)."),
        ],
        authModes: [
            AuthMode("personal access token", "`tokenSecretRef`: sent as `Authorization: Bearer`; surrounding whitespace is dropped, as cert-manager does.")
        ],
        ambientCredentials: nil,
        officialHosts: OfficialHosts(["api.digitalocean.com"]),
        recordModel: .recordPerValue,
        example: """
            tokenSecretRef:
              name: digitalocean-dns
              key: access-token
            """,
        migration: """
            From cert-manager's built-in `digitalocean` solver: change `digitalocean:` under `dns01` to `webhook: {groupName: <this webhook's group>, solverName: digitalocean, config: <the same block>}`. Keep `tokenSecretRef` as it is; the Secret stays in the Issuer's namespace (for a ClusterIssuer, cert-manager's cluster resource namespace), and the webhook's service account must be allowed to read it. Records are the same one-record-per-value TXT records cert-manager writes (TTL 60), so both solvers can serve one name during the move.
            """,
        notes: """
            No ambient credentials: every challenge uses the token its Secret holds, for Issuers and ClusterIssuers alike. The domain is the longest domain of the account that holds the record name (the domain list is read once and cached for five minutes); cert-manager's SOA-derived zone is not used. Every page of records at the name is read (cert-manager read only the first 20 until 2026, leaking records in busy zones), and CleanUp deletes by id only the records holding its own value, never other TXT records at the name. Present lists the name first because DigitalOcean accepts duplicate records, so a warm Present and a warm CleanUp each cost two API calls. DigitalOcean sends no `Retry-After` with its 429: the wait is read from `ratelimit-reset`, within the challenge's time (250 requests a minute, 5000 an hour per token).
            """
    )
}
