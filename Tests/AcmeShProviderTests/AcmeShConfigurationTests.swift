import AcmeShProvider
import DNS01
import Testing

@Suite("acmesh: the config block")
struct AcmeShConfigurationTests {
    func decode(_ block: ConfigValue, source: ConfigSource = .operatorConfig) throws(DNS01Error) -> AcmeShConfiguration {
        try AcmeShPlugin(shimDirectory: "/nonexistent").decodeConfiguration(block, at: ConfigPath.root.appending("acmesh"), source: source)
    }

    @Test("the issue's example decodes: defaults, literal and Secret values")
    func example() throws {
        let configuration = try decode([
            "script": "dns_cf",
            "env": ["CF_Token": ["secretKeyRef": ["name": "cloudflare", "key": "token"]], "CF_Zone_ID": "0123abcd", "CF_TTL": 120],
            "timeout": "120s",
        ])
        #expect(configuration.script == "dns_cf")
        #expect(configuration.scriptsDirectory == "/opt/acme.sh/dnsapi")
        #expect(configuration.scriptPath == "/opt/acme.sh/dnsapi/dns_cf.sh")
        #expect(configuration.timeout == .seconds(120))
        #expect(configuration.environment["CF_Token"] == .secret(SecretReference(name: "cloudflare", key: "token")))
        #expect(configuration.environment["CF_Zone_ID"] == .literal("0123abcd"))
        #expect(configuration.environment["CF_TTL"] == .literal("120"))
        let other = try decode(["script": "dns_cf.sh", "scriptsDir": "/scripts/"])
        #expect(other.scriptPath == "/scripts/dns_cf.sh")
        #expect(other.timeout == .seconds(60))
    }

    @Test(
        "config mistakes name their field",
        arguments: [
            (["scriptsDir": "/x"], "acmesh.script is required"),
            (["script": "cf"], "acmesh.script must be an acme.sh dnsapi hook name such as dns_cf (dns_ followed by letters, digits and _), got \"cf\""),
            (["script": "dns_../x"], "acmesh.script must be an acme.sh dnsapi hook name such as dns_cf (dns_ followed by letters, digits and _), got \"dns_../x\""),
            (["script": "dns_cf", "scriptsDir": "relative/dir"], "acmesh.scriptsDir must be an absolute directory path without . or .. segments, got \"relative/dir\""),
            (["script": "dns_cf", "scriptsDir": "/opt/../etc"], "acmesh.scriptsDir must be an absolute directory path without . or .. segments, got \"/opt/../etc\""),
            (["script": "dns_cf", "timeout": "11m"], "acmesh.timeout must be more than 0s and at most 10m"),
            (["script": "dns_cf", "env": ["BAD-NAME": "x"]], "acmesh.env.BAD-NAME is not a valid environment variable name"),
            (["script": "dns_cf", "env": ["PATH": "/tmp"]], "acmesh.env.PATH is set by the webhook itself and cannot be configured"),
            (["script": "dns_cf", "env": ["DNS01_SHIM": "/tmp/x"]], "acmesh.env.DNS01_SHIM is set by the webhook itself and cannot be configured"),
            (["script": "dns_cf", "env": ["CF_Token": ["name": "a", "key": "b"]]], "acmesh.env.CF_Token.secretKeyRef is required"),
            (["script": "dns_cf", "env": ["CF_Token": ["a", "b"]]], "acmesh.env.CF_Token must be a string or {secretKeyRef: {name, key}}, got a list"),
            (["script": "dns_cf", "command": "x"], "acmesh has an unknown field \"command\" (known fields: env, script, scriptsDir, timeout)"),
        ] as [(ConfigValue, String)])
    func mistakes(block: ConfigValue, message: String) {
        #expect(throws: DNS01Error(.invalidConfiguration, message)) { try decode(block) }
    }

    @Test("an Issuer may name only a script whose path issuerPolicy.allowedPrograms lists")
    func issuerPolicy() throws {
        let refusal =
            "acmesh.script \"/opt/acme.sh/dnsapi/dns_cf.sh\" is not allowed in an Issuer's config: a program named by an Issuer would run in the webhook's pod; the operator can allow it by listing it under issuerPolicy.allowedPrograms in the webhook's own config (serve --config), or move this block there"
        #expect(throws: DNS01Error(.forbiddenByPolicy, refusal)) { try decode(["script": "dns_cf"], source: .issuerConfig()) }
        let (policy, _) = try IssuerPolicy.operatorPolicy(in: ["issuerPolicy": ["allowedPrograms": ["/opt/acme.sh/dnsapi/dns_cf.sh"]]])
        _ = try decode(["script": "dns_cf"], source: .issuerConfig(policy: policy))
        // The same script name from a directory the Issuer chose is another program.
        #expect(throws: DNS01Error.self) { try decode(["script": "dns_cf", "scriptsDir": "/tmp/evil"], source: .issuerConfig(policy: policy)) }
    }
}
