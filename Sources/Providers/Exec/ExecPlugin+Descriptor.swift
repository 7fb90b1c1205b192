import DNS01

extension ExecPlugin {
    public static let descriptor = ProviderDescriptor(
        name: "exec",
        title: "External program (lego exec)",
        summary: "Your own program does the work, with lego's exec convention: PROGRAM present|cleanup <fqdn> <value>.",
        apiDocumentation: "https://go-acme.github.io/lego/dns/exec/",
        fields: [
            ConfigField("command", .string, required: true, issuerRestricted: true, "The program: a path, or a name looked up in PATH. An Issuer may name it only if `issuerPolicy.allowedPrograms` lists it."),
            ConfigField("timeout", .duration, default: "60s", "The program's process group is killed after this (at most 10m)."),
            ConfigField("env", .stringMap, "Variables added to the program's environment."),
            ConfigField("secretEnv", .map(.secretReference), "Variables from Secrets in the challenge's namespace; their values are redacted from any output."),
            ConfigField("nameserver", .string, issuerRestricted: true, "The DNS server your program updates (`HOST[:PORT]`), where `check` reads values back."),
        ],
        officialHosts: .none,
        recordModel: .delegated,
        limitations: [.cannotReadBack],
        example: """
            command: /usr/local/bin/update-dns
            timeout: 30s
            secretEnv:
              API_TOKEN: {name: dns-hook, key: token}
            nameserver: 10.0.0.53:53
            """,
        notes: """
            The challenge is also on the program's stdin as one JSON line and in `DNS01_ACTION`, `DNS01_FQDN`, `DNS01_VALUE`, `DNS01_DOMAIN`, `DNS01_ZONE`, `DNS01_NAMESPACE`, `DNS01_UID`. Exit status 0 is success; anything else fails the step with the program's output (at most 600 characters, secrets redacted).
            """
    )
}
