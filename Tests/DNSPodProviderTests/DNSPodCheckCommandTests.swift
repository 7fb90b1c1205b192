import Foundation
import TestSupport
import Testing

/// The built `dns01-webhook check` against the emulator, with the config block of
/// imroc/cert-manager-webhook-dnspod's ClusterIssuer, as an operator would run it.
@Suite("dns01-webhook check with dnspod", .serialized)
struct DNSPodCheckCommandTests {
    /// Writes `dnspod.yaml` (that webhook's config block plus the emulator's endpoint) and
    /// `secrets.yaml` (the chart's Secret, keys secret-id and secret-key), and runs `check`.
    func check(_ emulator: EmulatorPeer, secretData: String, wrapped: Bool, extraArguments: [String]) async throws -> CommandResult {
        let directory = try makeTemporaryDirectory("dnspod-check")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let block = """
            secretIdRef:
              name: cert-manager-webhook-dnspod-secret
              key: secret-id
            secretKeyRef:
              name: cert-manager-webhook-dnspod-secret
              key: secret-key
            ttl: 600
            recordLine: ""
            endpoint: \(emulator.baseURL)
            """
        let config = wrapped ? "dnspod:\n" + block.split(separator: "\n").map { "  \($0)" }.joined(separator: "\n") : block
        try config.write(toFile: "\(directory)/dnspod.yaml", atomically: true, encoding: .utf8)
        try """
        apiVersion: v1
        kind: Secret
        metadata: {name: cert-manager-webhook-dnspod-secret, namespace: default}
        type: Opaque
        \(secretData)
        """.write(toFile: "\(directory)/secrets.yaml", atomically: true, encoding: .utf8)
        return try await runCommand(
            webhookBinary,
            [
                "check", "--config", "\(directory)/dnspod.yaml", "--secrets", "\(directory)/secrets.yaml",
                "--domain", "www.example.com", "--poll-interval", "0.05",
            ] + extraArguments)
    }

    @Test("check passes Basic and Extended against the emulator and leaves no record behind")
    func checkPasses() async throws {
        let emulator = try await DNSPodFixture.emulator()
        // base64 of "AKIDDNSPODTEST" and of "dnspod-test-secret\n" (the newline `echo | base64` leaves is trimmed).
        let result = try await check(emulator, secretData: "data: {secret-id: QUtJREROU1BPRFRFU1Q=, secret-key: ZG5zcG9kLXRlc3Qtc2VjcmV0Cg==}", wrapped: true, extraArguments: ["--timeout", "10"])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        let steps = result.stdout.split(separator: "\n").filter { $0.hasPrefix("PASS") || $0.hasPrefix("FAIL") }
        #expect(steps.count == 13, "\(result.stdout)")
        #expect(steps.allSatisfy { $0.hasPrefix("PASS") }, "\(result.stdout)")
        #expect(result.stdout.hasSuffix("check passed\n"))
        #expect(try await emulator.dnspodTXT().isEmpty)
        let outcomes = try await emulator.outcomes()
        #expect(outcomes.filter { $0.hasPrefix("CreateRecord") } == ["CreateRecord OK", "CreateRecord OK", "CreateRecord OK"])
        #expect(outcomes.allSatisfy { $0.hasSuffix(" OK") }, "\(outcomes)")
    }

    @Test("check under the plugin's own solver name fails with the signature message when the Secret holds a wrong SecretKey")
    func checkFailsOnWrongSecret() async throws {
        let emulator = try await DNSPodFixture.emulator()
        let result = try await check(emulator, secretData: "stringData: {secret-id: AKIDDNSPODTEST, secret-key: wrong}", wrapped: false, extraArguments: ["--solver", "dnspod", "--basic-only", "--timeout", "2"])
        #expect(result.status == 1)
        #expect(result.stdout.contains("FAIL  basic: present key A"), "\(result.stdout)")
        #expect(result.stdout.contains("DNSPod rejected the request signature (AuthFailure.SignatureFailure): the SecretKey from secret default/cert-manager-webhook-dnspod-secret does not belong to its SecretId"), "\(result.stdout)")
    }
}
