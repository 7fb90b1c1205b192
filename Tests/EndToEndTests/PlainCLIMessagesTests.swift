import Foundation
import TestSupport
import Testing

/// Every kind of failure the CLI and `serve` report at start-up, run for real, and scanned: a
/// user-facing line never holds a Swift type or case name, errno soup or a value dump.
@Suite("dns01-webhook: no Swift names in what users read", .serialized)
struct PlainCLIMessagesTests {
    static func codeLike(_ message: String) -> String? {
        let patterns = [
            #"[A-Z][A-Za-z0-9]*Error\b"#, #"\b[A-Z][A-Za-z0-9]+\.[a-z][A-Za-z0-9]+\b"#, #"errno"#, #"\(error set\)"#,
            #"Optional\("#, #"Domain="#, #"NSCocoa"#, #"\b[a-z]+[A-Z][a-zA-Z]+\("#, #"\bfailedTo[A-Z]"#,
        ]
        return patterns.first { message.range(of: $0, options: .regularExpression) != nil }
    }

    static func write(_ text: String, _ directory: String, _ name: String) throws -> String {
        let path = "\(directory)/\(name)"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test("config, secret, file and serve start-up failures read as sentences")
    func failures() async throws {
        let directory = try makeTemporaryDirectory("plain")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let badYAML = try Self.write("providers: [ {memory: {}\n", directory, "bad.yaml")
        let unknownField = try Self.write("route53: {accessKeyID: A, region: us-east-1, hostedZone: Z1}\n", directory, "unknown.yaml")
        let needsSecret = try Self.write("memory: {apiTokenSecretRef: {name: absent, key: token}}\n", directory, "secret.yaml")
        let refused = try Self.write("http: {endpoint: \"http://127.0.0.1:1/hook\", timeout: 1s}\n", directory, "refused.yaml")
        let notAKey = try Self.write("not a key\n", directory, "tls.key")
        let notACert = try Self.write("not a certificate\n", directory, "tls.crt")
        let empty = try Self.write("", directory, "secrets.yaml")
        let runs: [[String]] = [
            ["present", "--config", badYAML, "--fqdn", "_acme-challenge.a.example.com", "--key", "k"],
            ["present", "--config", unknownField, "--fqdn", "_acme-challenge.a.example.com", "--key", "k"],
            ["present", "--config", needsSecret, "--secrets", empty, "--fqdn", "_acme-challenge.a.example.com", "--key", "k"],
            ["present", "--config", "\(directory)/missing.yaml", "--fqdn", "_acme-challenge.a.example.com", "--key", "k"],
            ["present", "--config", refused, "--fqdn", "_acme-challenge.a.example.com", "--key", "k"],
            ["config", "validate", "--config", unknownField],
            ["serve", "--group-name", "acme.example.com", "--tls-cert-file", notACert, "--tls-private-key-file", notAKey, "--secure-port", "0", "--authentication-skip-lookup"],
            ["serve", "--group-name", "acme.example.com", "--tls-cert-file", "\(directory)/absent.crt", "--tls-private-key-file", notAKey, "--secure-port", "0", "--authentication-skip-lookup"],
        ]
        try await scan(runs, directory: directory)
    }

    @Test("the first-day messages (pasted blocks and manifests, missing blocks, Secrets and credentials, kubeconfigs) read as sentences")
    func guidance() async throws {
        let directory = try makeTemporaryDirectory("plain-guidance")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let record = ["--fqdn", "_acme-challenge.www.example.com", "--key", "k"]
        let bareRoute53 = try Self.write("region: us-east-1\naccessKeyIDSecretRef: {name: aws, key: id}\n", directory, "bare.yaml")
        let twoSolvers = try Self.write(
            "apiVersion: cert-manager.io/v1\nkind: ClusterIssuer\nmetadata: {name: x}\nspec: {acme: {solvers: [{dns01: {route53: {}}}, {dns01: {cloudflare: {}}}]}}\n", directory, "two.yaml")
        let unserved = try Self.write("apiVersion: cert-manager.io/v1\nkind: Issuer\nmetadata: {name: x}\nspec: {acme: {solvers: [{dns01: {someOtherDNS: {}}}]}}\n", directory, "other.yaml")
        let http01 = try Self.write("apiVersion: cert-manager.io/v1\nkind: Issuer\nmetadata: {name: x}\nspec: {acme: {solvers: [{http01: {}}]}}\n", directory, "http01.yaml")
        let secretManifest = try Self.write("apiVersion: v1\nkind: Secret\nmetadata: {name: x}\n", directory, "secret-as-config.yaml")
        let memory = try Self.write("memory: {zones: [example.com], apiTokenSecretRef: {name: token, key: t}}\n", directory, "memory.yaml")
        let secrets = try Self.write("apiVersion: v1\nkind: Secret\nmetadata: {name: token, namespace: other}\nstringData: {t: v}\n", directory, "secrets.yaml")
        let route53 = try Self.write("route53: {region: us-east-1}\n", directory, "route53.yaml")
        let flow = try Self.write("{\"memory\": {\"zones\": [\"example.com\"]\n", directory, "flow.json")
        let missingPlugin = try Self.write(
            """
            current-context: c
            contexts: [{name: c, context: {cluster: c, user: u}}]
            clusters: [{name: c, cluster: {server: "https://127.0.0.1:1"}}]
            users: [{name: u, user: {exec: {apiVersion: client.authentication.k8s.io/v1, command: no-such-credential-plugin, interactiveMode: IfAvailable, installHint: "brew install it"}}}]
            """, directory, "kubeconfig")
        let prompting = try Self.write(
            String(decoding: try Data(contentsOf: URL(fileURLWithPath: missingPlugin)), as: UTF8.self).replacingOccurrences(of: "IfAvailable", with: "Always"), directory,
            "prompting-kubeconfig")
        let runs: [[String]] = [
            ["config", "validate", "--config", bareRoute53],
            ["config", "validate", "--config", twoSolvers],
            ["config", "validate", "--config", unserved],
            ["config", "validate", "--config", http01],
            ["config", "validate", "--config", secretManifest],
            ["config", "validate", "--config", flow],
            ["present", "--config", memory, "--solver", "alidns"] + record,
            ["present", "--config", memory, "--secrets", secrets] + record,
            ["present", "--config", route53] + record,
            ["present", "--config", memory, "--kubeconfig", missingPlugin] + record,
            ["present", "--config", memory, "--kubeconfig", missingPlugin, "--context", "nope"] + record,
            ["present", "--config", memory, "--kubeconfig", prompting] + record,
            ["check", "--config", memory, "--secrets", secrets, "--domain", "www.example.com", "--output", "json"],
        ]
        try await scan(runs, directory: directory)
    }

    private func scan(_ runs: [[String]], directory: String) async throws {
        for arguments in runs {
            let result = try await runCommand(webhookBinary, arguments, environment: ["HOME": directory, "KUBECONFIG": ""])
            #expect(result.status != 0, "\(arguments) succeeded")
            let output = result.stdout + result.stderr
            #expect(!output.isEmpty, "\(arguments) said nothing")
            for line in output.split(separator: "\n") where !line.hasPrefix("Usage:") && !line.hasPrefix("  ") {
                #expect(Self.codeLike(String(line)) == nil, "\(arguments.prefix(2)): \(line)")
            }
        }
    }
}
