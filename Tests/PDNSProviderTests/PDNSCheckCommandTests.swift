import Foundation
import TestSupport
import Testing

/// The built `dns01-webhook check` against a real pdns_server, with the pdns webhook's README
/// config, verified through the provider and through the same server's DNS port.
@Suite("dns01-webhook check --nameserver with pdns", .serialized)
struct PDNSCheckCommandTests {
    @Test("check passes Basic and Extended, verified through the API and DNS, and leaves nothing behind")
    func checkPasses() async throws {
        let server = try await PowerDNSServer.start(zones: ["example.com"], apiKey: PDNSFixture.apiKey)
        defer { server.stop() }
        let directory = try makeTemporaryDirectory("pdns-check")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try """
        pdns:
          # Base URL of the PowerDNS server.
          host: \(server.host)

          # Reference to the Kubernetes secret containing the API key.
          apiKeySecretRef:
            name: pdns-api-key
            key: key

          serverID: localhost
          ttl: 120
          timeout: 30
        """.write(toFile: "\(directory)/config.yaml", atomically: true, encoding: .utf8)
        try """
        apiVersion: v1
        kind: Secret
        metadata:
          name: pdns-api-key
          namespace: cert-manager
        type: Opaque
        data:
          key: \(Data(PDNSFixture.apiKey.utf8).base64EncodedString())
        """.write(toFile: "\(directory)/secrets.yaml", atomically: true, encoding: .utf8)
        let result = try await runCommand(
            webhookBinary,
            [
                "check", "--config", "\(directory)/config.yaml", "--secrets", "\(directory)/secrets.yaml", "--namespace", "cert-manager",
                "--domain", "www.example.com", "--nameserver", server.dnsAddress, "--poll-interval", "0.1", "--timeout", "10",
            ])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        let steps = result.stdout.split(separator: "\n").filter { $0.hasPrefix("PASS") || $0.hasPrefix("FAIL") }
        #expect(steps.count == 13 && steps.allSatisfy { $0.hasPrefix("PASS") }, "\(result.stdout)")
        #expect(result.stdout.contains("via provider and DNS"), "\(result.stdout)")
        #expect(!result.stdout.contains(PDNSFixture.apiKey) && !result.stderr.contains(PDNSFixture.apiKey))
    }
}
