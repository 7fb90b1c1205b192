import Foundation
import TestSupport
import Testing

/// The built `dns01-webhook check` against the emulator, with the block from cert-manager's
/// ACME-DNS page (`host` the emulator) and the accounts JSON as `kubectl create secret generic
/// acme-dns --from-file acmedns.json` stores it. The steps acme-dns cannot do are reported as
/// not applicable, with the reason, and the check passes.
@Suite("dns01-webhook check with acmeDNS", .serialized)
struct AcmeDNSCheckCommandTests {
    @Test("check passes; reading back and waiting for removal are not applicable, with the reason")
    func checkPasses() async throws {
        let emulator = try await AD.emulator()
        let directory = try makeTemporaryDirectory("acmedns-check")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try """
        acmeDNS:
          host: \(emulator.baseURL)
          accountSecretRef:
            name: acme-dns
            key: acmedns.json
        """.write(toFile: "\(directory)/acmedns.yaml", atomically: true, encoding: .utf8)
        let accounts = try AD.json(["example.com": AD.account, "example.net": AD.restrictedAccount])
        try """
        apiVersion: v1
        kind: Secret
        metadata:
          name: acme-dns
          namespace: default
        type: Opaque
        data:
          acmedns.json: \(Data(accounts.utf8).base64EncodedString())
        """.write(toFile: "\(directory)/secrets.yaml", atomically: true, encoding: .utf8)
        let result = try await runCommand(
            webhookBinary,
            [
                "check", "--config", "\(directory)/acmedns.yaml", "--secrets", "\(directory)/secrets.yaml",
                "--domain", "example.com", "--poll-interval", "0.05", "--timeout", "5",
            ])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        let passed = lines.filter { $0.hasPrefix("PASS") }.map { String($0.dropFirst(6).prefix(34)).trimmingCharacters(in: .whitespaces) }
        let skipped = lines.filter { $0.hasPrefix("N/A") }
        #expect(
            passed == [
                "route", "basic: present key A", "basic: clean up key A", "extended: present key A", "extended: present key B",
                "extended: clean up key B", "extended: clean up key B again", "extended: clean up key A",
            ], "\(result.stdout)")
        #expect(skipped.count == 5, "\(result.stdout)")
        #expect(skipped.filter { $0.contains("visible") }.allSatisfy { $0.hasSuffix("acme-dns has no API to read TXT values back: check through DNS instead (check --nameserver with the acme-dns server's DNS address)") }, "\(result.stdout)")
        #expect(skipped.filter { $0.contains("gone") }.allSatisfy { $0.hasSuffix("the provider's API cannot delete a value; CleanUp succeeds and changes nothing") }, "\(result.stdout)")
        #expect(!lines.contains { $0.hasPrefix("FAIL") })
        #expect(lines.last == "check passed")
        // The two keys are what acme-dns serves now (it cannot remove them).
        #expect(try await AD.values(emulator).count == 2)
    }
}
