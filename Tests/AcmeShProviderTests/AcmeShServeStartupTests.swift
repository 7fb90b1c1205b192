import Foundation
import TestSupport
import Testing

/// `serve` with an acmesh block in its own config checks at start-up that it can run it, and
/// stops with what is missing instead of failing the first challenge.
@Suite("acmesh: serve's start-up check", .serialized)
struct AcmeShServeStartupTests {
    func serve(config: String, environment: [String: String] = [:]) async throws -> CommandResult {
        let directory = try makeTemporaryDirectory("acmesh-serve")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try config.write(toFile: "\(directory)/config.yaml", atomically: true, encoding: .utf8)
        // No cluster and certificate files that do not exist: the check runs before either matters.
        return try await runCommand(
            webhookBinary,
            [
                "serve", "--group-name", "acme.example.com", "--tls-cert-file", "\(directory)/none.crt", "--tls-private-key-file", "\(directory)/none.key",
                "--config", "\(directory)/config.yaml",
            ],
            environment: ["KUBECONFIG": "", "HOME": directory].merging(environment) { $1 })
    }

    @Test("a missing script stops start-up, naming the file")
    func missingScript() async throws {
        let result = try await serve(config: "acmesh: {script: dns_missing, scriptsDir: /nonexistent}\n")
        #expect(result.status == 1)
        #expect(result.stderr.contains("error: acmesh: script /nonexistent/dns_missing.sh does not exist or is not readable"), "\(result.stderr)")
    }

    @Test("an image without the shim's tools stops start-up, naming them")
    func missingTools() async throws {
        let directory = try makeTemporaryDirectory("acmesh-serve-path")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        for tool in ["awk", "cat", "chmod", "date", "grep", "head", "mktemp", "mv", "od", "rm", "sed", "sleep", "tail", "tr", "sh"] {
            for prefix in ["/usr/bin", "/bin"] where FileManager.default.fileExists(atPath: "\(prefix)/\(tool)") {
                try? FileManager.default.createSymbolicLink(atPath: "\(directory)/\(tool)", withDestinationPath: "\(prefix)/\(tool)")
            }
        }
        let result = try await serve(
            config: "acmesh: {script: dns_teststate, scriptsDir: \(AcmeShFixture.scriptsDirectory)}\n", environment: ["PATH": directory])
        #expect(result.status == 1)
        #expect(result.stderr.contains("error: acmesh: this image lacks tools the acme.sh shim needs ("), "\(result.stderr)")
        #expect(result.stderr.contains("curl") && result.stderr.contains("openssl"), "\(result.stderr)")
        #expect(result.stderr.contains("use the acmesh image flavour (the chart's image.flavor: acmesh)"))
    }
}
