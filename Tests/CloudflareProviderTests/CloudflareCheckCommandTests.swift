import Foundation
import TestSupport
import Testing

/// The built `dns01-webhook check` against the emulator, with the block from cert-manager's
/// Cloudflare page (plus the operator's `endpoint` pointing at the emulator) and the Secret as
/// that page shows it.
@Suite("dns01-webhook check with cloudflare", .serialized)
struct CloudflareCheckCommandTests {
    func check(_ emulator: EmulatorPeer, token: String, extraArguments: [String] = []) async throws -> CommandResult {
        let directory = try makeTemporaryDirectory("cloudflare-check")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try """
        cloudflare:
          apiTokenSecretRef:
            name: cloudflare-api-token-secret
            key: api-token
          endpoint: \(CF.endpoint(emulator))
        """.write(toFile: "\(directory)/cloudflare.yaml", atomically: true, encoding: .utf8)
        try """
        apiVersion: v1
        kind: Secret
        metadata:
          name: cloudflare-api-token-secret
          namespace: default
        type: Opaque
        stringData:
          api-token: \(token)
        """.write(toFile: "\(directory)/secrets.yaml", atomically: true, encoding: .utf8)
        return try await runCommand(
            webhookBinary,
            [
                "check", "--config", "\(directory)/cloudflare.yaml", "--secrets", "\(directory)/secrets.yaml",
                "--domain", "www.example.com", "--poll-interval", "0.05", "--timeout", "10",
            ] + extraArguments)
    }

    @Test("check passes Basic and Extended against the emulator and leaves no record behind")
    func checkPasses() async throws {
        let emulator = try await CF.emulator()
        let result = try await check(emulator, token: CF.token)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        let steps = result.stdout.split(separator: "\n").filter { $0.hasPrefix("PASS") || $0.hasPrefix("FAIL") }
        #expect(steps.count == 13, "\(result.stdout)")
        #expect(steps.allSatisfy { $0.hasPrefix("PASS") }, "\(result.stdout)")
        #expect(result.stdout.hasSuffix("check passed\n"))
        #expect(try await CF.storedValues(emulator, "_acme-challenge.www.example.com").isEmpty)
    }

    @Test("check under the cloudflare solver fails with the token message when the Secret holds an unknown token")
    func checkFailsOnWrongToken() async throws {
        let emulator = try await CF.emulator()
        let result = try await check(emulator, token: CF.unknownToken, extraArguments: ["--solver", "cloudflare", "--basic-only"])
        #expect(result.status == 1)
        #expect(result.stdout.contains("FAIL  basic: present key A"), "\(result.stdout)")
        #expect(result.stdout.contains("Cloudflare does not accept the API token in secret default/cloudflare-api-token-secret (cloudflare.apiTokenSecretRef)"), "\(result.stdout)")
        #expect(!result.stdout.contains(CF.unknownToken))
    }
}
