import DNS01

extension AkamaiPlugin {
    public static let descriptor = ProviderDescriptor(
        name: "akamai",
        title: "Akamai Edge DNS",
        summary: "Akamai Edge DNS, a drop-in for cert-manager's built-in akamai solver: same config, EdgeGrid signing, record-set writes serialized per name and every write read back.",
        apiDocumentation: "https://techdocs.akamai.com/edge-dns/reference/edge-dns-api",
        fields: [
            ConfigField("serviceConsumerDomain", .string, required: true, "The API client's host (`akab-….luna.akamaiapis.net`, no scheme); requests go to `https://<it>/config-dns/v2`."),
            ConfigField("clientTokenSecretRef", .secretReference, required: true, "The API client's `client_token`, from a Secret."),
            ConfigField("clientSecretSecretRef", .secretReference, required: true, "The API client's `client_secret`, from a Secret."),
            ConfigField("accessTokenSecretRef", .secretReference, required: true, "The API client's `access_token`, from a Secret."),
            ConfigField("endpoint", .url, default: "https://<serviceConsumerDomain>", issuerRestricted: true, "The API base URL, instead of the one serviceConsumerDomain gives (a local model of the API in tests)."),
        ],
        authModes: [
            AuthMode("EdgeGrid API client", "`clientTokenSecretRef`, `clientSecretSecretRef` and `accessTokenSecretRef`: every request signed with `EG1-HMAC-SHA256` (a fresh timestamp and nonce per attempt).")
        ],
        ambientCredentials: nil,
        officialHosts: OfficialHosts(["*.luna.akamaiapis.net"]),
        recordModel: .readModifyWriteSet,
        example: """
            serviceConsumerDomain: akab-tho6xie2aiteip8p-poith5aej0peiv6u.luna.akamaiapis.net
            clientTokenSecretRef:
              name: akamai-dns
              key: clientToken
            clientSecretSecretRef:
              name: akamai-dns
              key: clientSecret
            accessTokenSecretRef:
              name: akamai-dns
              key: accessToken
            """,
        migration: """
            From cert-manager's built-in `akamai` solver: change `akamai:` under `dns01` to `webhook: {groupName: <this webhook's group>, solverName: akamai, config: <the same block>}`. Keep `serviceConsumerDomain` and the three Secret references as they are; the Secret stays in the Issuer's namespace (for a ClusterIssuer, cert-manager's cluster resource namespace), and the webhook's service account must be allowed to read it. Values go into the same TXT record set cert-manager writes (new sets get TTL 300). Do not run both solvers on one name at once: neither can see the other's writes coming.
            """,
        notes: """
            No ambient credentials: every challenge uses the API client its Secrets hold, for Issuers and ClusterIssuers alike. The API client needs READ-WRITE access to the Edge DNS API and the zones it serves; the zone is the longest zone it can see that holds the record name (the zone list is read once and cached for five minutes). Edge DNS keeps all TXT values of a name in one record set and offers **no concurrency control** on record sets (no ETag, If-Match or version), so the webhook serializes (and coalesces) its writes to each name within its process, creates sets with POST (which fails with 409 if another writer created the set first; that set's values are then kept), and reads every write back, writing again if another writer dropped its value or put a removed one back. Within one replica nothing is lost. **Across replicas** the webhook locks the name on a Kubernetes Lease around each Present and CleanUp (docs/install.md, Leases), so replicas never rewrite one set at once; only a writer outside the webhook (another tool) can still drop a value, and cert-manager then fails the challenge and retries. A warm Present or CleanUp costs three API calls (read, write, read back). Unlike cert-manager, only a 404 means "no record set": an authentication or server error is reported, never taken for an empty set. Secret values have surrounding whitespace removed.
            """
    )
}
