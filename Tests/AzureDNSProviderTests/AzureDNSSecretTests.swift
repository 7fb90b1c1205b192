import AzureDNSProvider
import DNS01
import Foundation
import Logging
import TestSupport
import Testing

/// Client secrets, access tokens and client assertions never appear in a message or a log line
/// (at trace level), for every identity, whether the step succeeds or fails.
@Suite("Azure DNS: no secret, token or assertion in any output", .serialized)
struct AzureDNSSecretTests {
    static let fqdn = "_acme-challenge.www.example.com"

    /// Runs Present and CleanUp (or the failure) and keeps everything said.
    func run(_ config: ConfigValue, context: ProviderContext, output: inout [String], failures: inout Int) async {
        do {
            let provider = try await AZ.provider(config: config, context: context)
            try await provider.present(AZ.challenge(.present, Self.fqdn, "value"))
            _ = try await provider.txtValues(at: DomainName(Self.fqdn), zone: nil)
            try await provider.cleanUp(AZ.challenge(.cleanUp, Self.fqdn, "value"))
        } catch {
            failures += 1
            output.append(String(describing: error))
            output.append(String(reflecting: error))
            if let error = error as? DNS01Error { output.append(error.message) }
        }
    }

    @Test("client secret, managed identity and workload identity: successes and failures say nothing secret")
    func nothingSecret() async throws {
        let emulator = try await AZ.emulator()
        let recorder = LogRecorder()
        let logger = recorder.logger(label: "azuredns")
        var output: [String] = []
        var failures = 0
        let secrets = AZ.secrets(["azuredns-config": AZ.clientSecret, "wrong": AZ.wrongSecret, "reader": AZ.readerSecret])

        // Client secret: right, wrong, and a reader's (refused by Resource Manager).
        await run(AZ.secretConfig(emulator), context: AZ.context(secrets: secrets, logger: logger), output: &output, failures: &failures)
        await run(AZ.secretConfig(emulator, secret: "wrong"), context: AZ.context(secrets: secrets, logger: logger), output: &output, failures: &failures)
        await run(AZ.secretConfig(emulator, clientID: AZ.readerClientID, secret: "reader"), context: AZ.context(secrets: secrets, logger: logger), output: &output, failures: &failures)
        // Managed identity: a contributor, and a reader.
        let imds = AZ.imdsEnvironment(emulator)
        await run(AZ.ambientConfig(emulator, managedIdentity: ["clientID": .string(AZ.managedClientID)]), context: AZ.context(ambient: true, environment: imds, logger: logger), output: &output, failures: &failures)
        await run(AZ.ambientConfig(emulator, managedIdentity: ["clientID": .string(AZ.readerManagedClientID)]), context: AZ.context(ambient: true, environment: imds, logger: logger), output: &output, failures: &failures)
        // Workload identity: a valid assertion, then one for another service account.
        let directory = try makeTemporaryDirectory("azure-secrets")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let environment = ["AZURE_FEDERATED_TOKEN_FILE": "\(directory)/token", "AZURE_CLIENT_ID": AZ.workloadClientID, "AZURE_TENANT_ID": AZ.tenant]
        try await AZ.mintServiceAccountToken(emulator).token.write(toFile: "\(directory)/token", atomically: true, encoding: .utf8)
        await run(AZ.ambientConfig(emulator), context: AZ.context(ambient: true, environment: environment, logger: logger), output: &output, failures: &failures)
        let foreign = try await AZ.mintServiceAccountToken(emulator, subject: "system:serviceaccount:default:other")
        try foreign.token.write(toFile: "\(directory)/token", atomically: true, encoding: .utf8)
        var other = environment
        other["AZURE_CLIENT_ID"] = AZ.workloadClientID.uppercased()  // another cache key: a fresh token request
        await run(AZ.ambientConfig(emulator), context: AZ.context(ambient: true, environment: other, logger: logger), output: &output, failures: &failures)

        let said = (output + [recorder.text]).joined(separator: "\n")
        let issued = try await AZ.issued(emulator)
        #expect(issued.count >= 5, "tokens and assertions were issued and seen: \(issued.count)")
        #expect(failures == 4, "four of the runs fail: \(output)")
        #expect(said.contains("AADSTS7000215") && said.contains("AuthorizationFailed") && said.contains("AADSTS700213"), "\(said)")
        for secret in [AZ.clientSecret, AZ.wrongSecret, AZ.readerSecret] + issued {
            #expect(!said.contains(secret), "a secret (\(secret.prefix(6))…) reached the output")
            // Nor a large piece of one (a JWT's payload or signature).
            for part in secret.split(separator: ".") where part.count >= 20 {
                #expect(!said.contains(part), "part of a token (\(part.prefix(6))…) reached the output")
            }
        }
    }
}
