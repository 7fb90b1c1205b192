import DNS01

extension PDNSPlugin {
    public static let descriptor = ProviderDescriptor(
        name: "pdns",
        title: "PowerDNS Authoritative",
        summary: "PowerDNS Authoritative's HTTP API, with the most used pdns webhook's config; single-value EXTEND/PRUNE where the server has them, a serialized and verified REPLACE otherwise.",
        apiDocumentation: "https://doc.powerdns.com/authoritative/http-api/",
        fields: [
            ConfigField("host", .url, required: true, issuerRestricted: true, "The base URL of the PowerDNS API, without `/api/v1` (`https://ns1.example.com:8081`). Your own server: an Issuer may name it only under `issuerPolicy.allowedEndpoints`."),
            ConfigField("apiKeySecretRef", .secretReference, required: true, "The API key (the server's `api-key`), from a Secret."),
            ConfigField("apiKeyScheme", .string, default: "\"\"", "A scheme put before the key (`Bearer` sends `Bearer <key>`), for proxies that want one."),
            ConfigField("apiKeyHeaderName", .string, default: "X-API-Key", "The header the key is sent in."),
            ConfigField("serverID", .string, default: "localhost", "The server id in API paths; leave it unless a proxy needs another."),
            ConfigField("headers", .stringMap, "Extra request headers; they override the defaults, the key's header included."),
            ConfigField("caBundle", .string, "PEM certificates (or their base64, as the webhook takes it) trusted instead of the system roots."),
            ConfigField("ttl", .integer(0...2_147_483_647), default: "120", "The TTL of a TXT rrset the challenge creates (0: the default)."),
            ConfigField("timeout", .duration, default: "30", "Per request, in seconds (or a duration such as `30s`), at most 300."),
            ConfigField("allowed-zones", .stringList, "Only these zones (and zones below them) are edited; empty: every zone of the server."),
        ],
        authModes: [
            AuthMode("API key", "`apiKeySecretRef`: sent as `<apiKeyHeaderName>: [<apiKeyScheme> ]<key>` (by default `X-API-Key: <key>`).")
        ],
        officialHosts: .none,
        recordModel: .readModifyWriteSet,
        example: """
            host: https://ns1.example.com:8081
            apiKeySecretRef:
              name: pdns-api-key
              key: key
            """,
        migration: """
            From zachomedia/cert-manager-webhook-pdns (`groupName: acme.zacharyseguin.ca`, `solverName: pdns`): keep `config` as it is and set `groupName` to this webhook's group; the solver name stays `pdns`. In an Issuer's config (not a ClusterIssuer's nor the webhook's own), `host` must be allowed by the operator first: add the API's URL (for example `https://ns1.example.com:8081/api/v1/`) to `issuerPolicy.allowedEndpoints` in the webhook's config, or move the block into the webhook's config. That webhook read the whole rrset and replaced it with no lock, so two challenges on one name could drop each other's value; this provider does not.
            """,
        notes: """
            The zone is the server's longest zone holding the record name (cert-manager's zone hint is not trusted). On PowerDNS 4.9.12 and later 4.9 releases, and 5.0.2 and later (read from the version the API reports, and confirmed by the server accepting them), Present is one `PATCH` with changetype `EXTEND` and CleanUp one with `PRUNE`: the server adds or removes one value, so concurrent writers are safe. Older servers (Debian bookworm ships 4.7) only have `REPLACE`, which rewrites the whole rrset with no precondition: changes to one name are then serialized and coalesced within the webhook, the rrset is read (from the whole zone: 4.7's `rrset_name`-filtered read leaves out disabled records), rewritten with every other value kept (disabled records stay disabled, the rrset keeps its TTL) or deleted once empty, and read again to verify; a value another writer dropped in between is written again. On those servers replicas of the webhook also lock the name on a Kubernetes Lease around each Present and CleanUp (docs/install.md, Leases), so they never rewrite one rrset at once. What remains: another tool that rewrites the same name after that verifying read can still drop a value; cert-manager's DNS check then fails and it presents again. A warm Present or CleanUp costs one call with EXTEND/PRUNE and three (read, replace, verify) with REPLACE.
            """
    )
}
