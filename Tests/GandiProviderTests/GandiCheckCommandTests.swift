import Foundation
import TestSupport
import Testing

/// The built `dns01-webhook check` against the emulator, with the Gandi webhook's README
/// config (plus `endpoint`, pointed at the emulator).
@Suite("dns01-webhook check with gandi", .serialized)
struct GandiCheckCommandTests {
    @Test("check passes Basic and Extended against the emulator and leaves nothing behind")
    func checkPasses() async throws {
        let emulator = try await EmulatorPeer("gandi_emulator.py")
        let directory = try makeTemporaryDirectory("gandi-check")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try """
        gandi:
          apiKeySecretRef:
            name: gandi-access-token
            key: token
          endpoint: \(emulator.baseURL)/v5/livedns
        """.write(toFile: "\(directory)/config.yaml", atomically: true, encoding: .utf8)
        try """
        apiVersion: v1
        kind: Secret
        metadata:
          name: gandi-access-token
          namespace: cert-manager
        type: Opaque
        stringData:
          token: \(GandiFixture.token)
        """.write(toFile: "\(directory)/secrets.yaml", atomically: true, encoding: .utf8)
        let result = try await runCommand(
            webhookBinary,
            [
                "check", "--config", "\(directory)/config.yaml", "--secrets", "\(directory)/secrets.yaml",
                "--namespace", "cert-manager", "--domain", "www.example.com", "--poll-interval", "0.05", "--timeout", "10",
            ])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        let steps = result.stdout.split(separator: "\n").filter { $0.hasPrefix("PASS") || $0.hasPrefix("FAIL") }
        #expect(steps.count == 13 && steps.allSatisfy { $0.hasPrefix("PASS") }, "\(result.stdout)")
        #expect(try await GandiFixture.values(emulator, name: "_acme-challenge.www") == nil)
        #expect(!result.stdout.contains(GandiFixture.token) && !result.stderr.contains(GandiFixture.token))
    }
}
