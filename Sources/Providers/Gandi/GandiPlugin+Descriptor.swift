import DNS01

extension GandiPlugin {
    public static let descriptor = ProviderDescriptor(
        name: "gandi",
        title: "Gandi LiveDNS",
        summary: "Gandi LiveDNS (API v5) with the Gandi webhooks' config; the TXT set is rewritten under a per-name lock and verified, so an apex and a wildcard challenge keep both values.",
        apiDocumentation: "https://api.gandi.net/docs/livedns/",
        fields: [
            ConfigField("apiKeySecretRef", .secretReference, required: true, "A Gandi personal access token (or, with `apiKeyType: apiKey`, a legacy API key), from a Secret; the field name is the Gandi webhooks'."),
            ConfigField(
                "apiKeyType", .oneOf(["personalAccessToken", "apiKey"]), default: "personalAccessToken",
                "What the Secret holds: a personal access token (`Authorization: Bearer`) or a legacy API key (`Authorization: Apikey`); the two cannot be told apart by their text."),
            ConfigField("ttl", .integer(300...2_592_000), default: "300", "The TTL of the TXT rrset; 300 is the lowest LiveDNS accepts."),
            ConfigField("endpoint", .url, default: "https://api.gandi.net/v5/livedns", issuerRestricted: true, "The LiveDNS base URL."),
        ],
        authModes: [
            AuthMode("personal access token", "`apiKeySecretRef`: a token with permission to manage the domains' technical configuration, sent as `Authorization: Bearer`."),
            AuthMode("API key", "`apiKeySecretRef` with `apiKeyType: apiKey`: a legacy API key, sent as `Authorization: Apikey` (Gandi has deprecated API keys)."),
        ],
        officialHosts: OfficialHosts(["api.gandi.net", "dns.api.gandi.net"]),
        recordModel: .readModifyWriteSet,
        example: """
            apiKeySecretRef:
              name: gandi-access-token
              key: token
            """,
        migration: """
            From krancovia/cert-manager-webhook-gandi (`groupName: acme.krancovia.io`) or bwolf/cert-manager-webhook-gandi (`groupName: acme.bwolf.me`), both with `solverName: gandi`: keep `config` (`apiKeySecretRef`) and set `groupName` to this webhook's group; the solver name stays `gandi`. krancovia's Secret holds a personal access token, which is the default here. bwolf's holds a legacy API key (it sent `X-Api-Key` to the old `dns.api.gandi.net` base): add `apiKeyType: apiKey`, or better, replace the key by a personal access token. Unlike bwolf's webhook, which replaced the whole TXT set with its one value and deleted the set on cleanup, this provider keeps other values, so apex and wildcard certificates validate together.
            """,
        notes: """
            LiveDNS can only replace a name's whole TXT list, with no ETag or If-Match; its one guard is that creating an rrset (`POST`) fails when the rrset exists, which this provider uses when the name has no TXT rrset yet. Every other change is a read-modify-write: changes to one name are serialized (and concurrent ones coalesced into one write) within the webhook, the new list is written (`PUT`, or `DELETE` once empty), and the rrset is read again; a value another writer dropped in between is written again (up to three rounds). Replicas of the webhook lock the name on a Kubernetes Lease around each Present and CleanUp (docs/install.md, Leases), so they never rewrite one set at once. What remains: another tool that rewrites the same name after that verifying read can still drop a value; cert-manager's own DNS check then fails and it presents again. A warm Present or CleanUp costs three API calls (read, write, verify).
            """
    )
}
