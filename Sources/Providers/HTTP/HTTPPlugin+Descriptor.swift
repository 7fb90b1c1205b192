import DNS01

extension HTTPPlugin {
    public static let descriptor = ProviderDescriptor(
        name: "http",
        title: "HTTP hook (lego httpreq)",
        summary: "Your own HTTP endpoint does the work, with lego's httpreq convention: POST <endpoint>/present and /cleanup with the challenge as JSON.",
        apiDocumentation: "https://go-acme.github.io/lego/dns/httpreq/",
        fields: [
            ConfigField("endpoint", .url, required: true, issuerRestricted: true, "The hook's base URL; steps go to `<endpoint>/present` and `<endpoint>/cleanup`. An Issuer may name it only under `issuerPolicy.allowedEndpoints`."),
            ConfigField("usernameSecretRef", .secretReference, "Basic auth user name (with `passwordSecretRef`)."),
            ConfigField("passwordSecretRef", .secretReference, "Basic auth password."),
            ConfigField("bearerTokenSecretRef", .secretReference, "A bearer token, instead of basic auth."),
            ConfigField("caBundle", .string, "PEM certificates (or their base64) trusted instead of the system roots."),
            ConfigField("caBundleSecretRef", .secretReference, "The same, from a Secret."),
            ConfigField("timeout", .duration, default: "30s", "Per request, at most 5m."),
            ConfigField("nameserver", .string, issuerRestricted: true, "The DNS server your hook updates (`HOST[:PORT]`), where `check` reads values back."),
        ],
        authModes: [
            AuthMode("none", "No Authorization header."),
            AuthMode("basic", "`usernameSecretRef` and `passwordSecretRef`."),
            AuthMode("bearer", "`bearerTokenSecretRef`."),
        ],
        officialHosts: .none,
        recordModel: .delegated,
        limitations: [.cannotReadBack],
        example: """
            endpoint: https://dns-hook.internal.example.com/acme
            bearerTokenSecretRef: {name: dns-hook, key: token}
            nameserver: 10.0.0.53:53
            """,
        notes: """
            The body is `{"action","fqdn","value","domain","zone","namespace","uid"}` (lego's hooks read `fqdn` and `value`). Any 2xx is success; 429, 5xx and connection failures are retried within the challenge's deadline; other statuses fail at once with the status and the start of the body, secrets redacted. Redirects are never followed. Without `nameserver`, `check` cannot read values back.
            """
    )
}
