import Foundation
import Testing
import TestSupport

/// The built `dns01-webhook check` against the emulator, as an operator would run it.
@Suite("dns01-webhook check with alidns")
struct AliDNSCheckCommandTests {
    func write(_ text: String, to path: String) throws {
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }

    @Test("check passes Basic and Extended against the emulator and leaves no record behind")
    func checkPasses() async throws {
        let emulator = try AliDNSEmulator()
        let directory = try makeTemporaryDirectory("alidns-check")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try write("""
            alidns:
              regionId: cn-hangzhou
              endpoint: \(emulator.endpoint)
              accessTokenSecretRef: {name: alidns-secrets, key: access-token}
              secretKeySecretRef: {name: alidns-secrets, key: secret-key}
            """, to: "\(directory)/alidns.yaml")
        try write("""
            apiVersion: v1
            kind: Secret
            metadata: {name: alidns-secrets, namespace: default}
            type: Opaque
            data:
              access-token: dGVzdGlk
              secret-key: dGVzdHNlY3JldAo=
            """, to: "\(directory)/secrets.yaml")

        let result = try runCommand(webhookBinary, ["check", "--config", "\(directory)/alidns.yaml", "--secrets", "\(directory)/secrets.yaml",
                                                    "--domain", "www.example.com", "--poll-interval", "0.05", "--timeout", "10"])
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

    @Test("check fails with the signature message when the Secret holds a wrong AccessKey secret")
    func checkFailsOnWrongSecret() async throws {
        let emulator = try AliDNSEmulator()
        let directory = try makeTemporaryDirectory("alidns-check")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        // Served under the plugin's own solver name, as `solverName: alidns` would be.
        try write("""
            alidns:
              endpoint: \(emulator.endpoint)
              accessTokenSecretRef: {name: alidns-secrets, key: access-token}
              secretKeySecretRef: {name: alidns-secrets, key: secret-key}
            """, to: "\(directory)/alidns.yaml")
        try write("""
            apiVersion: v1
            kind: Secret
            metadata: {name: alidns-secrets, namespace: default}
            stringData: {access-token: testid, secret-key: wrong}
            """, to: "\(directory)/secrets.yaml")
        let result = try runCommand(webhookBinary, ["check", "--solver", "alidns", "--config", "\(directory)/alidns.yaml", "--secrets", "\(directory)/secrets.yaml",
                                                    "--domain", "www.example.com", "--basic-only", "--poll-interval", "0.05", "--timeout", "2"])
        #expect(result.status == 1)
        #expect(result.stdout.contains("FAIL  basic: present key A"), "\(result.stdout)")
        #expect(result.stdout.contains("AliDNS rejected the request signature (SignatureDoesNotMatch): the AccessKey secret from secret default/alidns-secrets does not belong to its AccessKey ID"), "\(result.stdout)")
    }
}
