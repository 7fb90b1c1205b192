import Foundation
import TestSupport
import Testing

/// The built `dns01-webhook check` against the emulator, with the block from cert-manager's
/// Cloud DNS page (plus the operator's `endpoint` pointing at the emulator) and the Secret as
/// that page has it made (`kubectl create secret generic … --from-file=key.json`).
@Suite("dns01-webhook check with cloudDNS", .serialized)
struct CloudDNSCheckCommandTests {
    func check(_ emulator: EmulatorPeer, key: String, blockKey: String = "cloudDNS", extraArguments: [String] = []) async throws -> CommandResult {
        let directory = try makeTemporaryDirectory("clouddns-check")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try """
        \(blockKey):
          # The ID of the GCP project
          project: test-project
          # This is the secret used to access the service account
          serviceAccountSecretRef:
            name: clouddns-dns01-solver-svc-acct
            key: key.json
          endpoint: \(GCP.endpoint(emulator))
        """.write(toFile: "\(directory)/clouddns.yaml", atomically: true, encoding: .utf8)
        try """
        apiVersion: v1
        kind: Secret
        metadata:
          name: clouddns-dns01-solver-svc-acct
          namespace: default
        type: Opaque
        data:
          key.json: \(Data(key.utf8).base64EncodedString())
        """.write(toFile: "\(directory)/secrets.yaml", atomically: true, encoding: .utf8)
        return try await runCommand(
            webhookBinary,
            [
                "check", "--config", "\(directory)/clouddns.yaml", "--secrets", "\(directory)/secrets.yaml",
                "--domain", "www.example.com", "--poll-interval", "0.05", "--timeout", "10",
            ] + extraArguments)
    }

    @Test("check passes Basic and Extended against the emulator and leaves no record behind")
    func checkPasses() async throws {
        let emulator = try await GCP.emulator()
        let result = try await check(emulator, key: try await GCP.keyFile(emulator))
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        let steps = result.stdout.split(separator: "\n").filter { $0.hasPrefix("PASS") || $0.hasPrefix("FAIL") }
        #expect(steps.count == 13, "\(result.stdout)")
        #expect(steps.allSatisfy { $0.hasPrefix("PASS") }, "\(result.stdout)")
        #expect(result.stdout.hasSuffix("check passed\n"))
        #expect(try await GCP.storedSet(emulator, "_acme-challenge.www.example.com") == nil)
        #expect(try await GCP.counts(emulator)["oauth2.token"] == 1)
    }

    @Test("check with the block under the old clouddns key fails with the key message when the Secret holds a key Google does not know")
    func checkFailsOnUnknownKey() async throws {
        let emulator = try await GCP.emulator()
        let foreign = try await GCP.foreignKeyFile(emulator)
        let result = try await check(emulator, key: foreign, blockKey: "clouddns", extraArguments: ["--basic-only"])
        #expect(result.status == 1)
        #expect(result.stdout.contains("FAIL  basic: present key A"), "\(result.stdout)")
        #expect(
            result.stdout.contains("refused the service account \(GCP.serviceAccount) (key in secret default/clouddns-dns01-solver-svc-acct key \"key.json\", clouddns.serviceAccountSecretRef) (HTTP 400 invalid_grant: Invalid JWT Signature.)"),
            "\(result.stdout)")
        let privateKey = try #require(GoogleKeyJSON.object(foreign)?["private_key"] as? String)
        for line in privateKey.split(separator: "\n") where !line.hasPrefix("-----") {
            #expect(!result.stdout.contains(line) && !result.stderr.contains(line))
        }
    }
}
