import CloudDNSProvider
import DNS01
import Foundation
import Logging
import ProviderKit
import TestSupport
import Testing

/// For every way of getting a token, succeeding and failing: no private key, access token,
/// JWT assertion or subject token ever reaches a message or a log line (at trace level).
@Suite("cloudDNS: no private key, token or assertion in any output", .serialized)
struct CloudDNSSecretLeakTests {
    enum Mode: String, CaseIterable, Sendable {
        case secretKey, secretKeyRefused, adcKeyFile, metadataServer, workloadIdentity, workloadIdentityImpersonation, workloadIdentityRefused
    }

    @Test(arguments: Mode.allCases)
    func nothingSecretIsPrinted(_ mode: Mode) async throws {
        let emulator = try await GCP.emulator()
        let directory = try makeTemporaryDirectory("clouddns-leak")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let logs = LogRecorder()
        let recorder = RecordingTransport()
        let plugin = GCP.plugin(transport: recorder)
        var secrets: [String] = []
        var config = GCP.config(emulator, secret: nil)
        var context = GCP.context(environment: ["GCE_METADATA_HOST": "127.0.0.1:1"], logger: logs.logger())

        func external(impersonate: Bool) throws {
            var file: [String: Any] = [
                "type": "external_account", "audience": GCP.pool, "subject_token_type": "urn:ietf:params:oauth:token-type:jwt",
                "token_url": emulator.baseURL + "/v1/token", "credential_source": ["file": "\(directory)/token"],
            ]
            if impersonate { file["service_account_impersonation_url"] = emulator.baseURL + "/v1/projects/-/serviceAccounts/\(GCP.serviceAccount):generateAccessToken" }
            try JSONSerialization.data(withJSONObject: file).write(to: URL(fileURLWithPath: "\(directory)/credentials.json"))
            context.environment["GOOGLE_APPLICATION_CREDENTIALS"] = "\(directory)/credentials.json"
        }

        switch mode {
        case .secretKey, .secretKeyRefused:
            let key = try await mode == .secretKey ? GCP.keyFile(emulator) : GCP.foreignKeyFile(emulator)
            secrets += try CloudDNSContractTests.privateKeyParts(key)
            config = GCP.config(emulator)
            context.secrets = GCP.secrets([GCP.secretName: key])
        case .adcKeyFile:
            let key = try await GCP.keyFile(emulator)
            secrets += try CloudDNSContractTests.privateKeyParts(key)
            try key.write(toFile: "\(directory)/key.json", atomically: true, encoding: .utf8)
            context.environment["GOOGLE_APPLICATION_CREDENTIALS"] = "\(directory)/key.json"
        case .metadataServer:
            context.environment["GCE_METADATA_HOST"] = emulator.baseURL.replacingOccurrences(of: "http://", with: "")
        case .workloadIdentity, .workloadIdentityImpersonation, .workloadIdentityRefused:
            let token = try await GCP.subjectToken(emulator, extra: mode == .workloadIdentityRefused ? ["expiresIn": -1] : [:])
            secrets.append(token)
            try token.write(toFile: "\(directory)/token", atomically: true, encoding: .utf8)
            try external(impersonate: mode == .workloadIdentityImpersonation)
        }

        var messages: [String] = []
        let fqdn = "_acme-challenge.leak.example.com"
        do {
            let provider = try await GCP.provider(plugin, config: config, context: context)
            try await provider.present(GCP.challenge(.present, fqdn, "leak-check"))
            _ = try await provider.txtValues(at: DomainName(fqdn), zone: nil)
            try await emulator.admin("POST", "/__admin/reset")  // revokes the token: the 401 path runs too
            try await provider.cleanUp(GCP.challenge(.cleanUp, fqdn, "leak-check"))
            let refused = mode == .secretKeyRefused || mode == .workloadIdentityRefused
            #expect(!refused, "a refused credential succeeded")
        } catch let error as DNS01Error {
            messages.append(error.message)
            #expect(mode == .secretKeyRefused || mode == .workloadIdentityRefused, "\(error.message)")
            #expect(error.code == .credentialsUnavailable)
        }
        secrets += recorder.secretsOnTheWire
        // The wire carried what this test looks for: an assertion or subject token, and a token.
        let expectedOnWire = mode == .secretKeyRefused || mode == .workloadIdentityRefused ? 1 : 2
        #expect(recorder.secretsOnTheWire.count >= expectedOnWire, "\(mode): \(recorder.secretsOnTheWire.count)")
        let everything = (messages + [logs.text]).joined(separator: "\n")
        #expect(!logs.text.isEmpty)
        for secret in secrets where secret.count >= 16 {
            #expect(!everything.contains(secret), "\(mode): a secret of \(secret.count) characters was printed")
        }
    }
}
