import Foundation
import TestSupport
import Testing

/// `dns01-webhook check --nameserver` with the rfc2136 provider against Knot: the CLI's real
/// DNS path, end to end (built binary, config and Secret files, UPDATEs, DNS queries).
@Suite("check --nameserver against Knot through rfc2136", .serialized)
struct RFC2136CheckCommandTests {
    @Test("check passes Basic and Extended, verified through the provider and DNS, leaving only the unrelated value")
    func checkPasses() async throws {
        let fixture = try await KnotFixture()
        defer { fixture.stop() }
        let directory = try makeTemporaryDirectory("rfc2136-check")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try """
        rfc2136:
          nameserver: \(fixture.knot.address)
          tsigKeyName: acme-update
          tsigAlgorithm: HMACSHA256
          tsigSecretSecretRef: {name: tsig, key: secret}
        """.write(toFile: "\(directory)/config.yaml", atomically: true, encoding: .utf8)
        try """
        apiVersion: v1
        kind: Secret
        metadata: {name: tsig, namespace: cert-manager}
        stringData: {secret: "\(KnotFixture.secret)"}
        """.write(toFile: "\(directory)/secrets.yaml", atomically: true, encoding: .utf8)
        let result = try await runCommand(
            webhookBinary,
            [
                "check", "--config", "\(directory)/config.yaml", "--secrets", "\(directory)/secrets.yaml",
                "--namespace", "cert-manager", "--domain", "www.example.com", "--nameserver", fixture.knot.address,
                "--poll-interval", "0.1", "--timeout", "10",
            ])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        let steps = result.stdout.split(separator: "\n").filter { $0.hasPrefix("PASS") || $0.hasPrefix("FAIL") }
        #expect(steps.count == 13 && steps.allSatisfy { $0.hasPrefix("PASS") }, "\(result.stdout)")
        #expect(result.stdout.contains("extended: key B gone, key A kept") && result.stdout.contains("via provider and DNS"))
        #expect(!result.stdout.contains(KnotFixture.secret) && !result.stderr.contains(KnotFixture.secret))
        #expect(try await fixture.dnsValues(RFC2136KnotTests.fqdn) == ["unrelated"])
    }
}
