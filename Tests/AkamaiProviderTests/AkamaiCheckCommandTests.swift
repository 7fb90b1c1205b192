import Foundation
import TestSupport
import Testing

/// The built `dns01-webhook check` against the emulator, with the block from cert-manager's
/// Akamai page (its `serviceConsumerDomain` the emulator's host, plus the operator's `endpoint`
/// pointing at the emulator) and the Secret it names.
@Suite("dns01-webhook check with akamai", .serialized)
struct AkamaiCheckCommandTests {
    @Test("check passes Basic and Extended against the emulator and leaves no record set behind")
    func checkPasses() async throws {
        let emulator = try await AK.emulator()
        let directory = try makeTemporaryDirectory("akamai-check")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try """
        akamai:
          serviceConsumerDomain: \(AK.host)
          clientTokenSecretRef:
            name: akamai-dns
            key: clientToken
          clientSecretSecretRef:
            name: akamai-dns
            key: clientSecret
          accessTokenSecretRef:
            name: akamai-dns
            key: accessToken
          endpoint: \(emulator.baseURL)
        """.write(toFile: "\(directory)/akamai.yaml", atomically: true, encoding: .utf8)
        try """
        apiVersion: v1
        kind: Secret
        metadata:
          name: akamai-dns
          namespace: default
        type: Opaque
        stringData:
          clientToken: \(AK.clientToken)
          clientSecret: \(AK.clientSecret)
          accessToken: \(AK.accessToken)
        """.write(toFile: "\(directory)/secrets.yaml", atomically: true, encoding: .utf8)
        let result = try await runCommand(
            webhookBinary,
            [
                "check", "--config", "\(directory)/akamai.yaml", "--secrets", "\(directory)/secrets.yaml",
                "--domain", "www.example.com", "--poll-interval", "0.05", "--timeout", "10",
            ])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        let steps = result.stdout.split(separator: "\n").filter { $0.hasPrefix("PASS") || $0.hasPrefix("FAIL") }
        #expect(steps.count == 13, "\(result.stdout)")
        #expect(steps.allSatisfy { $0.hasPrefix("PASS") }, "\(result.stdout)")
        #expect(try await AK.storedSet(emulator, "_acme-challenge.www.example.com") == nil)
        #expect(try await AK.writes(emulator).allSatisfy { $0["staleRead"] as? Bool != true })
    }
}
