import Foundation
import TestSupport
import Testing

/// The built `dns01-webhook check` against the emulator, as an operator would run it.
@Suite("dns01-webhook check with alidns", .serialized)
struct AliDNSCheckCommandTests {
    /// Writes `alidns.yaml` (the emulator's endpoint, AccessKey from Secret `alidns-secrets`)
    /// and `secrets.yaml` (that Secret in namespace `default`), and runs `check` with them.
    func check(_ emulator: AliDNSEmulator, secretData: String, extraArguments: [String]) async throws -> CommandResult {
        let directory = try makeTemporaryDirectory("alidns-check")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try """
        alidns:
          regionId: cn-hangzhou
          endpoint: \(emulator.endpoint)
          accessTokenSecretRef: {name: alidns-secrets, key: access-token}
          secretKeySecretRef: {name: alidns-secrets, key: secret-key}
        """.write(toFile: "\(directory)/alidns.yaml", atomically: true, encoding: .utf8)
        try """
        apiVersion: v1
        kind: Secret
        metadata: {name: alidns-secrets, namespace: default}
        type: Opaque
        \(secretData)
        """.write(toFile: "\(directory)/secrets.yaml", atomically: true, encoding: .utf8)
        return try await runCommand(
            webhookBinary,
            [
                "check", "--config", "\(directory)/alidns.yaml", "--secrets", "\(directory)/secrets.yaml",
                "--domain", "www.example.com", "--poll-interval", "0.05",
            ] + extraArguments)
    }

    @Test("check passes Basic and Extended against the emulator and leaves no record behind")
    func checkPasses() async throws {
        let emulator = try await AliDNSEmulator()
        // base64 of "testid" and of "testsecret\n" (the newline `echo | base64` leaves is trimmed).
        let result = try await check(emulator, secretData: "data: {access-token: dGVzdGlk, secret-key: dGVzdHNlY3JldAo=}", extraArguments: ["--timeout", "10"])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        let steps = result.stdout.split(separator: "\n").filter { $0.hasPrefix("PASS") || $0.hasPrefix("FAIL") }
        #expect(steps.count == 13, "\(result.stdout)")
        #expect(steps.allSatisfy { $0.hasPrefix("PASS") }, "\(result.stdout)")
        #expect(result.stdout.hasSuffix("check passed\n"))
        #expect(try await emulator.records().isEmpty)
        let actions = try await emulator.actions()
        #expect(actions.filter { $0.hasPrefix("AddDomainRecord") } == ["AddDomainRecord OK", "AddDomainRecord OK", "AddDomainRecord OK"])
        #expect(actions.allSatisfy { $0.hasSuffix(" OK") })
    }

    @Test("check under the plugin's own solver name fails with the signature message when the Secret holds a wrong AccessKey secret")
    func checkFailsOnWrongSecret() async throws {
        let emulator = try await AliDNSEmulator()
        let result = try await check(emulator, secretData: "stringData: {access-token: testid, secret-key: wrong}", extraArguments: ["--solver", "alidns", "--basic-only", "--timeout", "2"])
        #expect(result.status == 1)
        #expect(result.stdout.contains("FAIL  basic: present key A"), "\(result.stdout)")
        #expect(result.stdout.contains("AliDNS rejected the request signature (SignatureDoesNotMatch): the AccessKey secret from secret default/alidns-secrets does not belong to its AccessKey ID"), "\(result.stdout)")
    }
}
