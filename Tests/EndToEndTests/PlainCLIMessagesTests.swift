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
    func failures() throws {
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
        for arguments in runs {
            let result = try runCommand(webhookBinary, arguments)
            #expect(result.status != 0, "\(arguments) succeeded")
            let output = result.stdout + result.stderr
            #expect(!output.isEmpty, "\(arguments) said nothing")
            for line in output.split(separator: "\n") where !line.hasPrefix("Usage:") && !line.hasPrefix("  ") {
                #expect(Self.codeLike(String(line)) == nil, "\(arguments.prefix(2)): \(line)")
            }
        }
    }
}
