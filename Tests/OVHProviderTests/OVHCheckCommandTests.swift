import Foundation
import TestSupport
import Testing

/// The built `dns01-webhook check` against the emulator, with aureq's config (its chart's
/// issuer template), the endpoint pointed at the emulator.
@Suite("dns01-webhook check with ovh", .serialized)
struct OVHCheckCommandTests {
    @Test("check passes Basic and Extended against the emulator, publishing every change, and leaves nothing behind")
    func checkPasses() async throws {
        let emulator = try await EmulatorPeer("ovh_emulator.py")
        let directory = try makeTemporaryDirectory("ovh-check")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try """
        ovh:
          endpoint: "\(emulator.baseURL)/1.0"
          authenticationMethod: "application"
          applicationKeyRef:
            name: le-prod-ovh-credentials
            key: "applicationKey"
          applicationSecretRef:
            name: le-prod-ovh-credentials
            key: "applicationSecret"
          applicationConsumerKeyRef:
            name: le-prod-ovh-credentials
            key: "applicationConsumerKey"
        """.write(toFile: "\(directory)/config.yaml", atomically: true, encoding: .utf8)
        try """
        apiVersion: v1
        kind: Secret
        metadata: {name: le-prod-ovh-credentials, namespace: cert-manager}
        type: Opaque
        stringData:
          applicationKey: \(OVHFixture.applicationKey)
          applicationSecret: \(OVHFixture.applicationSecret)
          applicationConsumerKey: \(OVHFixture.consumerKey)
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
        #expect(try await OVHFixture.values(emulator, subDomain: "_acme-challenge.www") == [])
        #expect(try await OVHFixture.values(emulator, subDomain: "_acme-challenge.www", published: false) == [])
        #expect(!result.stdout.contains(OVHFixture.applicationSecret) && !result.stderr.contains(OVHFixture.applicationSecret))
    }
}
