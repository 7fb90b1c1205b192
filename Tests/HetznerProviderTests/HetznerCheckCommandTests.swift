import Foundation
import TestSupport
import Testing

/// The built `dns01-webhook check` against the emulator, with the official webhook's README
/// config (plus its `hcloudEndpoint`, pointed at the emulator).
@Suite("dns01-webhook check with hetzner", .serialized)
struct HetznerCheckCommandTests {
    func check(_ emulator: EmulatorPeer, token: String, arguments: [String] = []) async throws -> CommandResult {
        let directory = try makeTemporaryDirectory("hetzner-check")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try """
        hetzner:
          tokenSecretKeyRef:
            name: hetzner
            key: token
          hcloudEndpoint: \(emulator.baseURL)/v1
        """.write(toFile: "\(directory)/config.yaml", atomically: true, encoding: .utf8)
        try """
        apiVersion: v1
        kind: Secret
        metadata: {name: hetzner, namespace: default}
        type: Opaque
        stringData: {token: \(token)}
        """.write(toFile: "\(directory)/secrets.yaml", atomically: true, encoding: .utf8)
        return try await runCommand(
            webhookBinary,
            [
                "check", "--config", "\(directory)/config.yaml", "--secrets", "\(directory)/secrets.yaml",
                "--domain", "www.example.com", "--poll-interval", "0.05", "--timeout", "10",
            ] + arguments)
    }

    @Test("check passes Basic and Extended against the emulator and leaves nothing behind")
    func checkPasses() async throws {
        let emulator = try await EmulatorPeer("hetzner_emulator.py")
        let result = try await check(emulator, token: HetznerFixture.token)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        let steps = result.stdout.split(separator: "\n").filter { $0.hasPrefix("PASS") || $0.hasPrefix("FAIL") }
        #expect(steps.count == 13 && steps.allSatisfy { $0.hasPrefix("PASS") }, "\(result.stdout)")
        #expect(result.stdout.hasSuffix("check passed\n"))
        #expect(try await HetznerFixture.values(emulator, name: "_acme-challenge.www") == [])
        let calls = try await HetznerFixture.calls(emulator)
        #expect(calls.filter { $0.hasPrefix("add_records") } == ["add_records OK", "add_records OK", "add_records OK"], "\(calls)")
        #expect(!result.stdout.contains(HetznerFixture.token) && !result.stderr.contains(HetznerFixture.token))
    }

    @Test("check fails clearly with a token Hetzner refuses")
    func checkFailsOnWrongToken() async throws {
        let emulator = try await EmulatorPeer("hetzner_emulator.py")
        let result = try await check(emulator, token: "wrong-token-value", arguments: ["--solver", "hetzner", "--basic-only", "--timeout", "2"])
        #expect(result.status == 1)
        #expect(result.stdout.contains("FAIL  basic: present key A"), "\(result.stdout)")
        #expect(result.stdout.contains("Hetzner Cloud refused the API token from secret default/hetzner key \"token\" (unauthorized)"), "\(result.stdout)")
        #expect(!result.stdout.contains("wrong-token-value"))
    }
}
