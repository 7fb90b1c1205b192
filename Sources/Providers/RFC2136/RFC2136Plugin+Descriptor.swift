import DNS01

extension RFC2136Plugin {
    public static let descriptor = ProviderDescriptor(
        name: "rfc2136",
        title: "RFC 2136 dynamic DNS UPDATE",
        summary: "Any authoritative server that takes DNS UPDATE with TSIG (BIND, Knot, PowerDNS…), with cert-manager's rfc2136 fields.",
        apiDocumentation: "https://www.rfc-editor.org/rfc/rfc2136",
        fields: [
            ConfigField(
                "nameserver", .string, required: true, issuerRestricted: true, "The server's address: `HOST[:PORT]` or `[IPv6]:PORT`, port 53 by default. An Issuer may name it only under `issuerPolicy.allowedEndpoints` (as `dns://host:port/`)."),
            ConfigField("tsigKeyName", .string, "The TSIG key's name (with `tsigSecretSecretRef`, or neither for unsigned updates)."),
            ConfigField("tsigAlgorithm", .string, default: "HMACMD5", "`HMACMD5` (cert-manager's default), `HMACSHA1`, `HMACSHA256`, `HMACSHA384` or `HMACSHA512`, any case."),
            ConfigField("tsigSecretSecretRef", .secretReference, "The base64 TSIG secret, as tsig-keygen or keymgr print it."),
            ConfigField("protocol", .oneOf(["UDP", "TCP"]), default: "UDP", "UDP falls back to TCP when an answer is truncated."),
        ],
        authModes: [AuthMode("TSIG", "A shared TSIG key (RFC 8945); the server's answer is verified too. Without a key, updates go unsigned (servers that allow updates by address).")],
        officialHosts: .none,
        recordModel: .serverSideValueChange,
        example: """
            nameserver: 192.0.2.53:53
            tsigKeyName: acme-update
            tsigAlgorithm: HMACSHA256
            tsigSecretSecretRef: {name: tsig, key: secret}
            """,
        migration: """
            From cert-manager's built-in `rfc2136` solver: keep the block. If the Issuer is namespaced, the operator must list its server in `issuerPolicy.allowedEndpoints` (for example `dns://192.0.2.53:53/`) in the webhook's own config: an Issuer naming any address would let tenants make the webhook's pod send DNS messages anywhere. Or move the block to the webhook's own config and use the `dispatch` solver.
            """,
        notes: """
            The zone is the one the server names (the owner of the SOA in its answer for the record name); cert-manager's zone hint is used only when the server says nothing. `HMACMD5` is kept for migrations; RFC 8945 says not to use it.
            """
    )
}
