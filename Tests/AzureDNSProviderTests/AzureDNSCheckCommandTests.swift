import Foundation
import TestSupport
import Testing

/// The built `dns01-webhook check` against the emulator, with cert-manager's documented service
/// principal block (plus the operator's `endpoint` and `authorityEndpoint` pointing at the
/// emulator's plain-HTTP port: the CLI trusts the system's CAs only) and the Secret as
/// cert-manager's page shows it.
@Suite("dns01-webhook check with azureDNS", .serialized)
struct AzureDNSCheckCommandTests {
    func check(_ emulator: EmulatorPeer, secret: String, extraArguments: [String] = []) async throws -> CommandResult {
        let directory = try makeTemporaryDirectory("azuredns-check")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try """
        azureDNS:
          clientID: \(AZ.clientID)
          clientSecretSecretRef:
          # The following is the secret we created in Kubernetes. Issuer will use this to present challenge to Azure DNS.
            name: azuredns-config
            key: client-secret
          subscriptionID: \(AZ.subscription)
          tenantID: \(AZ.tenant)
          resourceGroupName: \(AZ.resourceGroup)
          hostedZoneName: example.com
          # Azure Cloud Environment, default to AzurePublicCloud
          environment: AzurePublicCloud
          endpoint: \(emulator.baseURL)
          authorityEndpoint: \(emulator.baseURL)
        """.write(toFile: "\(directory)/azuredns.yaml", atomically: true, encoding: .utf8)
        try """
        apiVersion: v1
        kind: Secret
        metadata:
          name: azuredns-config
          namespace: default
        type: Opaque
        stringData:
          client-secret: \(secret)
        """.write(toFile: "\(directory)/secrets.yaml", atomically: true, encoding: .utf8)
        return try await runCommand(
            webhookBinary,
            [
                "check", "--config", "\(directory)/azuredns.yaml", "--secrets", "\(directory)/secrets.yaml",
                "--domain", "www.example.com", "--poll-interval", "0.05", "--timeout", "10",
            ] + extraArguments)
    }

    @Test("check passes Basic and Extended against the emulator and leaves no record set behind")
    func checkPasses() async throws {
        let emulator = try await AZ.emulator()
        let result = try await check(emulator, secret: AZ.clientSecret)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        let steps = result.stdout.split(separator: "\n").filter { $0.hasPrefix("PASS") || $0.hasPrefix("FAIL") }
        #expect(steps.count == 13, "\(result.stdout)")
        #expect(steps.allSatisfy { $0.hasPrefix("PASS") }, "\(result.stdout)")
        #expect(result.stdout.hasSuffix("check passed\n"))
        #expect(try await AZ.recordSets(emulator).isEmpty)
        #expect(try await AZ.counts(emulator)["token"] == 1, "one token for the whole check")
        #expect(!(result.stdout + result.stderr).contains(AZ.clientSecret))
        for token in try await AZ.issued(emulator) { #expect(!(result.stdout + result.stderr).contains(token)) }
    }

    @Test("check under the azureDNS solver fails with Entra ID's reason when the Secret holds a wrong client secret")
    func checkFailsOnWrongSecret() async throws {
        let emulator = try await AZ.emulator()
        let result = try await check(emulator, secret: AZ.wrongSecret, extraArguments: ["--solver", "azureDNS", "--basic-only"])
        #expect(result.status == 1)
        #expect(result.stdout.contains("FAIL  basic: present key A"), "\(result.stdout)")
        #expect(
            result.stdout.contains(
                "Entra ID refused the client secret of application \(AZ.clientID) in tenant \(AZ.tenant) (azureDNS.clientSecretSecretRef: secret default/azuredns-config) (HTTP 401 invalid_client: AADSTS7000215: Invalid client secret provided."
            ), "\(result.stdout)")
        #expect(result.stdout.contains("the Secret must hold the client secret's value (not its ID)"))
        #expect(!result.stdout.contains(AZ.wrongSecret) && !result.stderr.contains(AZ.wrongSecret))
    }
}
