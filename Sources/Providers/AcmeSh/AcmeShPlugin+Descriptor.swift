import DNS01

extension AcmeShPlugin {
    public static let descriptor = ProviderDescriptor(
        name: "acmesh",
        title: "acme.sh dnsapi scripts",
        summary: "Runs an unmodified acme.sh dnsapi script (dns_<name>.sh, about 180 DNS hosts) that you mount, through a clean-room shim of acme.sh's helpers.",
        apiDocumentation: "https://github.com/acmesh-official/acme.sh/wiki/dnsapi",
        fields: [
            ConfigField(
                "script", .string, required: true, issuerRestricted: true,
                "The hook name, `dns_<name>` (the file `<scriptsDir>/dns_<name>.sh`). An Issuer may name it only if `issuerPolicy.allowedPrograms` lists `<scriptsDir>/dns_<name>.sh`."),
            ConfigField("scriptsDir", .string, default: AcmeShConfiguration.defaultScriptsDirectory, issuerRestricted: true, "The directory the scripts are mounted in (absolute)."),
            ConfigField(
                "env", .map(.either(.string, .object([ConfigField("secretKeyRef", .secretReference, required: true, "A Secret in the challenge's namespace; the value is redacted from every message.")]))),
                "The variables the script's `dns_<name>_info` block lists (`Options`, `OptionsAlt`, `Optional`): a string, or `{secretKeyRef: {name, key}}`."),
            ConfigField("timeout", .duration, default: "60s", "Each step's `sh` and everything it started are killed after this (at most 10m)."),
        ],
        officialHosts: .none,
        recordModel: .delegated,
        limitations: [.cannotReadBack],
        example: """
            script: dns_cf
            scriptsDir: /opt/acme.sh/dnsapi
            env:
              CF_Token: {secretKeyRef: {name: cloudflare, key: token}}
              CF_Zone_ID: "0123abcd"
            timeout: 120s
            """,
        notes: AcmeShGuide.text
    )
}
