import DNS01

extension AcmeDNSPlugin {
    public static let descriptor = ProviderDescriptor(
        name: "acmeDNS",
        aliases: ["acmedns"],
        title: "ACME-DNS",
        summary: "joohoi/acme-dns, a drop-in for cert-manager's built-in acmeDNS solver: same config and accounts JSON; acme-dns keeps two values and cannot delete.",
        apiDocumentation: "https://github.com/joohoi/acme-dns#api",
        fields: [
            ConfigField("host", .url, required: true, issuerRestricted: true, "The acme-dns server's URL (`https://auth.acme-dns.io`); updates go to `<host>/update`. An Issuer may name only the public instance unless the operator's `issuerPolicy.allowedEndpoints` lists the server."),
            ConfigField("accountSecretRef", .secretReference, required: true, "A Secret key holding the accounts JSON: each domain (without `*.`) mapped to the account acme-dns's `/register` answered (`username`, `password`, `fulldomain`, `subdomain`, `allowfrom`)."),
        ],
        authModes: [
            AuthMode("acme-dns account", "The account of the challenge's domain from the accounts JSON: `X-Api-User` (username) and `X-Api-Key` (password) on `POST /update`."),
        ],
        ambientCredentials: nil,
        officialHosts: OfficialHosts(["auth.acme-dns.io"]),
        recordModel: .serverSideValueChange,
        limitations: [.cannotReadBack, .cannotRemoveValues, .keepsTwoValuesOnly],
        example: """
            host: https://auth.acme-dns.io
            accountSecretRef:
              name: acme-dns
              key: acmedns.json
            """,
        migration: """
            From cert-manager's built-in `acmeDNS` solver: change `acmeDNS:` under `dns01` to `webhook: {groupName: <this webhook's group>, solverName: acmeDNS, config: <the same block>}`. Keep `host` and `accountSecretRef` as they are, and the accounts JSON in the Secret; the Secret stays in the Issuer's namespace (for a ClusterIssuer, cert-manager's cluster resource namespace), and the webhook's service account must be allowed to read it. A self-hosted acme-dns `host` in an Issuer needs the operator's `issuerPolicy.allowedEndpoints` (or the block in the webhook's own config). If an account's `allowfrom` lists addresses, add the webhook pods' egress address.
            """,
        notes: """
            No ambient credentials: every challenge uses the account its Secret holds. **Delegation**: each domain needs a CNAME from `_acme-challenge.<domain>` to its account's `fulldomain` (for `example.com` and `*.example.com` alike); acme-dns then serves the values. **What acme-dns cannot do**, as in cert-manager: it keeps exactly two TXT values per account (each update replaces the older one), so an apex and a wildcard challenge of one certificate coexist, but a third value at the same time evicts the oldest, and so does presenting the same value twice (keep `--max-concurrent-challenges` low, or give each domain its own account); it has **no delete**, so CleanUp succeeds and changes nothing (the next update replaces the value); and it has **no read API**, so `check` reports the steps that read values back or wait for them to go as not applicable, with the reason (with `--nameserver` pointing at the acme-dns server's DNS, visibility is checked through DNS). Values must be ACME DNS-01 values (43 base64url characters). A warm Present costs one API call and CleanUp none.
            """
    )
}
