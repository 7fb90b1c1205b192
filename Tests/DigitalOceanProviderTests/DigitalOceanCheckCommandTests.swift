import Foundation
import TestSupport
import Testing

/// The built `dns01-webhook check` against the emulator, with the block from cert-manager's
/// DigitalOcean page (plus the operator's `endpoint` pointing at the emulator) and its Secret.
@Suite("dns01-webhook check with digitalocean", .serialized)
struct DigitalOceanCheckCommandTests {
    @Test("check passes Basic and Extended against the emulator and leaves no record behind")
    func checkPasses() async throws {
        let emulator = try await DO.emulator()
        let directory = try makeTemporaryDirectory("digitalocean-check")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try """
        digitalocean:
          tokenSecretRef:
            name: digitalocean-dns
            key: access-token
          endpoint: \(emulator.baseURL)
        """.write(toFile: "\(directory)/digitalocean.yaml", atomically: true, encoding: .utf8)
        // `kubectl create secret generic digitalocean-dns --from-literal=access-token=…`, as `-o yaml` prints it.
        try """
        apiVersion: v1
        kind: Secret
        metadata:
          name: digitalocean-dns
          namespace: default
        type: Opaque
        data:
          access-token: \(Data(DO.token.utf8).base64EncodedString())
        """.write(toFile: "\(directory)/secrets.yaml", atomically: true, encoding: .utf8)
        let result = try await runCommand(
            webhookBinary,
            [
                "check", "--config", "\(directory)/digitalocean.yaml", "--secrets", "\(directory)/secrets.yaml",
                "--domain", "www.example.com", "--poll-interval", "0.05", "--timeout", "10",
            ])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        let steps = result.stdout.split(separator: "\n").filter { $0.hasPrefix("PASS") || $0.hasPrefix("FAIL") }
        #expect(steps.count == 13, "\(result.stdout)")
        #expect(steps.allSatisfy { $0.hasPrefix("PASS") }, "\(result.stdout)")
        #expect(try await DO.storedValues(emulator, "_acme-challenge.www.example.com").isEmpty)
    }
}
