import Foundation
import TestSupport
import Testing

/// The built `dns01-webhook check` against the emulator, with the ClusterIssuer config of the
/// vendor's webhook README (HuaweiCloudDeveloper/cert-manager-webhook-huawei), as an operator
/// would run it.
@Suite("dns01-webhook check with huaweicloud", .serialized)
struct HuaweiCloudCheckCommandTests {
    func check(_ emulator: EmulatorPeer, secretData: String, extraArguments: [String]) async throws -> CommandResult {
        let directory = try makeTemporaryDirectory("huaweicloud-check")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        // The README's block, with the emulator as the endpoint.
        try """
        huaweicloud:
          accessKeyRef:
            key: accessKey
            name: huaweicloud-secret
          regionId: ap-southeast-1  # Your region
          secretKeyRef:
            key: secretKey
            name: huaweicloud-secret
          endpoint: \(emulator.baseURL)
        """.write(toFile: "\(directory)/huaweicloud.yaml", atomically: true, encoding: .utf8)
        // The README's `kubectl create secret generic huaweicloud-secret --from-literal=...`.
        try """
        apiVersion: v1
        kind: Secret
        metadata: {name: huaweicloud-secret, namespace: cert-manager}
        type: Opaque
        \(secretData)
        """.write(toFile: "\(directory)/secrets.yaml", atomically: true, encoding: .utf8)
        return try await runCommand(
            webhookBinary,
            [
                "check", "--config", "\(directory)/huaweicloud.yaml", "--secrets", "\(directory)/secrets.yaml",
                "--namespace", "cert-manager", "--domain", "www.example.com", "--poll-interval", "0.05",
            ] + extraArguments)
    }

    @Test("check passes Basic and Extended against the emulator and leaves no record set behind")
    func checkPasses() async throws {
        let emulator = try await HuaweiFixture.emulator()
        let result = try await check(emulator, secretData: "stringData: {accessKey: HWAKDNSTEST, secretKey: huawei-test-secret}", extraArguments: ["--timeout", "10"])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        let steps = result.stdout.split(separator: "\n").filter { $0.hasPrefix("PASS") || $0.hasPrefix("FAIL") }
        #expect(steps.count == 13, "\(result.stdout)")
        #expect(steps.allSatisfy { $0.hasPrefix("PASS") }, "\(result.stdout)")
        #expect(result.stdout.hasSuffix("check passed\n"))
        #expect(try await emulator.txtSets().isEmpty)
        let outcomes = try await emulator.outcomes()
        #expect(outcomes.allSatisfy { $0.hasSuffix(" OK") }, "\(outcomes)")
        #expect(outcomes.contains("DeleteRecordSet OK"))
    }

    @Test("check under the plugin's own solver name fails with the signature message when the Secret holds a wrong SK")
    func checkFailsOnWrongSecret() async throws {
        let emulator = try await HuaweiFixture.emulator()
        let result = try await check(emulator, secretData: "stringData: {accessKey: HWAKDNSTEST, secretKey: wrong}", extraArguments: ["--solver", "huaweicloud", "--basic-only", "--timeout", "2"])
        #expect(result.status == 1)
        #expect(result.stdout.contains("FAIL  basic: present key A"), "\(result.stdout)")
        #expect(result.stdout.contains("Huawei Cloud rejected the request signature (APIGW.0301): the secret access key (SK) from secret cert-manager/huaweicloud-secret does not belong to its access key (AK)"), "\(result.stdout)")
    }
}
