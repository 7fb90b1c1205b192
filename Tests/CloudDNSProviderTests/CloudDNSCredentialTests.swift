import CloudDNSProvider
import DNS01
import Foundation
import Logging
import ProviderKit
import Synchronization
import TestSupport
import Testing

/// A wall clock the test can move forward.
final class MovableClock: Sendable {
    private let offset = Mutex<Int64>(0)
    func advance(_ seconds: Int64) { offset.withLock { $0 += seconds } }
    var epochSeconds: @Sendable () -> Int64 { { [self] in Int64(Date().timeIntervalSince1970) + offset.withLock { $0 } } }
}

/// Each way the provider gets an access token, against the emulator's token services, which
/// verify the JWT signature, the STS subject token and the metadata header as Google does.
@Suite("cloudDNS credentials: service-account key, metadata server, workload identity federation", .serialized)
struct CloudDNSCredentialTests {
    let fqdn = "_acme-challenge.www.example.com"

    func plugin(_ clock: MovableClock = MovableClock(), transport: any HTTPTransport = AsyncHTTPClientTransport()) -> CloudDNSPlugin {
        GCP.plugin(transport: transport, environment: CloudDNSEnvironment(epochSeconds: clock.epochSeconds, requestTimeout: .seconds(10), changeWait: .init(interval: .milliseconds(20))))
    }

    func roundTrip(_ provider: any DNSProvider, _ emulator: EmulatorPeer, value: String) async throws {
        try await provider.present(GCP.challenge(.present, fqdn, value))
        #expect(try await GCP.storedValues(emulator, fqdn) == [value])
        try await provider.cleanUp(GCP.challenge(.cleanUp, fqdn, value))
        #expect(try await GCP.storedValues(emulator, fqdn) == [])
    }

    @Test("a key from the Secret gets one token, reused by later challenges until it nears expiry")
    func serviceAccountKeyIsCachedUntilRefresh() async throws {
        let emulator = try await GCP.emulator()
        let clock = MovableClock()
        let plugin = plugin(clock)
        let context = GCP.context(secrets: GCP.secrets([GCP.secretName: try await GCP.keyFile(emulator)]), ambient: false)
        for round in 0..<3 {
            try await roundTrip(try await GCP.provider(plugin, config: GCP.config(emulator), context: context), emulator, value: "key-\(round)")
        }
        #expect(try await GCP.issuedTokens(emulator) == [GCP.serviceAccount: 1])
        #expect(try await GCP.counts(emulator)["oauth2.token"] == 1)
        // 3599 s tokens are replaced five minutes before they expire.
        // The JWT's iat moves with our clock: the emulator's must move too. (A minute short
        // of the refresh point, for the real time this test takes.)
        clock.advance(3599 - 300 - 60)
        try await GCP.advanceEmulatorClock(emulator, by: 3599 - 300 - 60)
        try await roundTrip(try await GCP.provider(plugin, config: GCP.config(emulator), context: context), emulator, value: "before-refresh")
        #expect(try await GCP.issuedTokens(emulator) == [GCP.serviceAccount: 1])
        clock.advance(61)
        try await GCP.advanceEmulatorClock(emulator, by: 61)
        try await roundTrip(try await GCP.provider(plugin, config: GCP.config(emulator), context: context), emulator, value: "after-refresh")
        #expect(try await GCP.issuedTokens(emulator) == [GCP.serviceAccount: 2])
    }

    @Test("two keys (two accounts) never share a token")
    func tokensAreKeyedByIdentity() async throws {
        let emulator = try await GCP.emulator()
        let plugin = plugin()
        let secrets = GCP.secrets([GCP.secretName: try await GCP.keyFile(emulator), "reader": try await GCP.keyFile(emulator, email: GCP.readerAccount)])
        try await roundTrip(try await GCP.provider(plugin, config: GCP.config(emulator), context: GCP.context(secrets: secrets)), emulator, value: "admin")
        let reader = try await GCP.provider(plugin, config: GCP.config(emulator, secret: "reader"), context: GCP.context(secrets: secrets))
        #expect(try await reader.txtValues(at: DomainName(fqdn), zone: nil) == [])
        let error = await dns01Failure { try await reader.present(GCP.challenge(.present, fqdn, "reader")) }
        #expect(error?.code == .providerRejected)
        #expect(error?.message.contains("Cloud DNS refused to change the TXT set at _acme-challenge.www.example.com for the service account dns-reader@test-project.iam.gserviceaccount.com") == true, "\(error?.message ?? "")")
        #expect(error?.message.contains("roles/dns.admin") == true)
        #expect(try await GCP.issuedTokens(emulator) == [GCP.serviceAccount: 1, GCP.readerAccount: 1])
    }

    @Test("a token the API refuses (revoked) is replaced once and the step goes on")
    func refusedTokenIsRenewed() async throws {
        let emulator = try await GCP.emulator()
        let plugin = plugin()
        let context = GCP.context(secrets: GCP.secrets([GCP.secretName: try await GCP.keyFile(emulator)]))
        try await roundTrip(try await GCP.provider(plugin, config: GCP.config(emulator), context: context), emulator, value: "first")
        try await emulator.admin("POST", "/__admin/reset")  // forgets every issued token
        try await roundTrip(try await GCP.provider(plugin, config: GCP.config(emulator), context: context), emulator, value: "second")
        #expect(try await GCP.issuedTokens(emulator) == [GCP.serviceAccount: 1])
    }

    @Test("without a Secret, ambient credentials are refused unless the challenge allows them")
    func ambientNeedsPermission() async throws {
        let emulator = try await GCP.emulator()
        let error = await dns01Failure {
            _ = try await GCP.provider(plugin(), config: GCP.config(emulator, secret: nil), context: GCP.context(ambient: false, environment: ["GCE_METADATA_HOST": "127.0.0.1:1"]))
        }
        #expect(error?.code == .credentialsUnavailable)
        #expect(error?.message.hasPrefix("no Cloud DNS credentials: set serviceAccountSecretRef") == true, "\(error?.message ?? "")")
        #expect(error?.message.contains("ClusterIssuers only") == true)
    }

    @Test("GOOGLE_APPLICATION_CREDENTIALS naming a service-account key")
    func applicationDefaultKeyFile() async throws {
        let emulator = try await GCP.emulator()
        let directory = try makeTemporaryDirectory("clouddns-adc")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try await GCP.keyFile(emulator).write(toFile: "\(directory)/key.json", atomically: true, encoding: .utf8)
        let context = GCP.context(environment: ["GOOGLE_APPLICATION_CREDENTIALS": "\(directory)/key.json", "GCE_METADATA_HOST": "127.0.0.1:1"])
        try await roundTrip(try await GCP.provider(plugin(), config: GCP.config(emulator, secret: nil), context: context), emulator, value: "adc-key")
        #expect(try await GCP.issuedTokens(emulator) == [GCP.serviceAccount: 1])
    }

    @Test("the metadata server, found by GCE_METADATA_HOST or metadataEndpoint, with Metadata-Flavor: Google")
    func metadataServer() async throws {
        let emulator = try await GCP.emulator()
        let host = emulator.baseURL.replacingOccurrences(of: "http://", with: "")
        let recorder = RecordingTransport()
        let byEnvironment = try await GCP.provider(plugin(transport: recorder), config: GCP.config(emulator, secret: nil), context: GCP.context(environment: ["GCE_METADATA_HOST": host]))
        try await roundTrip(byEnvironment, emulator, value: "metadata-env")
        let metadataRequest = try #require(recorder.requests.first { $0.url.contains("/computeMetadata/") })
        #expect(metadataRequest.header("Metadata-Flavor") == "Google")
        #expect(metadataRequest.url.hasSuffix("/instance/service-accounts/default/token?scopes=https%3A%2F%2Fwww.googleapis.com%2Fauth%2Fndev.clouddns.readwrite"))
        let byConfig = try await GCP.provider(
            plugin(), config: GCP.config(emulator, secret: nil, extra: ["metadataEndpoint": .string(emulator.baseURL)]), context: GCP.context())
        try await roundTrip(byConfig, emulator, value: "metadata-config")
        #expect(try await GCP.counts(emulator)["metadata.token"] == 2)
    }

    @Test("no Secret, no credentials file and no metadata server: one clear sentence")
    func nothingAmbient() async throws {
        let emulator = try await GCP.emulator()
        let provider = try await GCP.provider(plugin(), config: GCP.config(emulator, secret: nil), context: GCP.context(environment: ["GCE_METADATA_HOST": "127.0.0.1:1"]))
        let error = await dns01Failure { try await provider.present(GCP.challenge(.present, fqdn, "nothing")) }
        #expect(error?.code == .credentialsUnavailable)
        #expect(error?.message.hasPrefix("no Cloud DNS credentials: serviceAccountSecretRef is not set, GOOGLE_APPLICATION_CREDENTIALS is not set, and the metadata server at http://127.0.0.1:1 cannot be reached") == true, "\(error?.message ?? "")")
    }

    /// An `external_account` file as `gcloud iam workload-identity-pools create-cred-config` writes it.
    func writeExternalAccount(_ emulator: EmulatorPeer, directory: String, impersonate: String? = nil) throws -> String {
        var file: [String: Any] = [
            "type": "external_account", "audience": GCP.pool, "subject_token_type": "urn:ietf:params:oauth:token-type:jwt",
            "token_url": emulator.baseURL + "/v1/token", "credential_source": ["file": "\(directory)/token", "format": ["type": "text"]],
        ]
        if let impersonate { file["service_account_impersonation_url"] = emulator.baseURL + "/v1/projects/-/serviceAccounts/\(impersonate):generateAccessToken" }
        try JSONSerialization.data(withJSONObject: file).write(to: URL(fileURLWithPath: "\(directory)/credentials.json"))
        return "\(directory)/credentials.json"
    }

    @Test("workload identity federation: the subject token file is read again at each exchange, so a rotated token is used")
    func workloadIdentityRotation() async throws {
        let emulator = try await GCP.emulator()
        let directory = try makeTemporaryDirectory("clouddns-wif")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let credentials = try writeExternalAccount(emulator, directory: directory)
        try await GCP.subjectToken(emulator, subject: "system:serviceaccount:cert-manager:first").write(toFile: "\(directory)/token", atomically: true, encoding: .utf8)
        let clock = MovableClock()
        let plugin = plugin(clock)
        let context = GCP.context(environment: ["GOOGLE_APPLICATION_CREDENTIALS": credentials])
        try await roundTrip(try await GCP.provider(plugin, config: GCP.config(emulator, secret: nil), context: context), emulator, value: "wif-1")
        let poolPrincipal = "principal://iam.googleapis.com/projects/123456789012/locations/global/workloadIdentityPools/kube/subject/"
        #expect(try await GCP.issuedTokens(emulator) == [poolPrincipal + "system:serviceaccount:cert-manager:first": 1])
        // The kubelet rotates the projected token; the cached access token is still used …
        try await GCP.subjectToken(emulator, subject: "system:serviceaccount:cert-manager:rotated").write(toFile: "\(directory)/token", atomically: true, encoding: .utf8)
        try await roundTrip(try await GCP.provider(plugin, config: GCP.config(emulator, secret: nil), context: context), emulator, value: "wif-2")
        #expect(try await GCP.issuedTokens(emulator).count == 1)
        // … until it nears expiry: then the new subject token is exchanged.
        clock.advance(3600)
        try await roundTrip(try await GCP.provider(plugin, config: GCP.config(emulator, secret: nil), context: context), emulator, value: "wif-3")
        #expect(try await GCP.issuedTokens(emulator) == [poolPrincipal + "system:serviceaccount:cert-manager:first": 1, poolPrincipal + "system:serviceaccount:cert-manager:rotated": 1])
    }

    @Test("workload identity federation with service account impersonation")
    func workloadIdentityImpersonation() async throws {
        let emulator = try await GCP.emulator()
        let directory = try makeTemporaryDirectory("clouddns-wif")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let credentials = try writeExternalAccount(emulator, directory: directory, impersonate: GCP.serviceAccount)
        try await GCP.subjectToken(emulator).write(toFile: "\(directory)/token", atomically: true, encoding: .utf8)
        let context = GCP.context(environment: ["GOOGLE_APPLICATION_CREDENTIALS": credentials])
        try await roundTrip(try await GCP.provider(plugin(), config: GCP.config(emulator, secret: nil), context: context), emulator, value: "impersonated")
        #expect(try await GCP.issuedTokens(emulator)[GCP.serviceAccount] == 1)
        #expect(try await GCP.counts(emulator)["iam.generateAccessToken"] == 1)
    }

    @Test("an expired or foreign subject token is refused by STS with what to check")
    func workloadIdentityRefused() async throws {
        let emulator = try await GCP.emulator()
        let directory = try makeTemporaryDirectory("clouddns-wif")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let credentials = try writeExternalAccount(emulator, directory: directory)
        try await GCP.subjectToken(emulator, extra: ["expiresIn": -60]).write(toFile: "\(directory)/token", atomically: true, encoding: .utf8)
        let provider = try await GCP.provider(plugin(), config: GCP.config(emulator, secret: nil), context: GCP.context(environment: ["GOOGLE_APPLICATION_CREDENTIALS": credentials]))
        let error = await dns01Failure { try await provider.present(GCP.challenge(.present, fqdn, "expired")) }
        #expect(error?.code == .credentialsUnavailable)
        #expect(error?.message.contains("refused workload identity federation (\(GCP.pool), GOOGLE_APPLICATION_CREDENTIALS \(credentials)) (HTTP 400 invalid_grant: ID Token has expired.)") == true, "\(error?.message ?? "")")
        try await GCP.subjectToken(emulator, extra: ["issuer": "https://evil.example"]).write(toFile: "\(directory)/token", atomically: true, encoding: .utf8)
        let foreign = await dns01Failure { try await provider.present(GCP.challenge(.present, fqdn, "foreign")) }
        #expect(foreign?.message.contains("invalid_grant: Invalid JWT signature.") == true, "\(foreign?.message ?? "")")
        #expect(try await GCP.storedValues(emulator, fqdn) == [])
    }

    @Test(
        "unusable key files say what is wrong and never what they hold",
        arguments: [
            ("not json", "is not a service-account key: not JSON"),
            (#"{"type":"authorized_user","client_id":"x","refresh_token":"r"}"#, "is not a usable service-account key: its \"type\" is \"authorized_user\" (expected \"service_account\""),
            (#"{"type":"service_account","private_key":"-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"}"#, "is not a usable service-account key: it has no client_email"),
            (#"{"type":"service_account","client_email":"a@b","private_key":"-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"}"#, "is not a usable service-account key: its private_key is not an RSA private key"),
        ])
    func badKeyFiles(content: String, expected: String) async throws {
        let emulator = try await GCP.emulator()
        let error = await dns01Failure {
            _ = try await GCP.provider(plugin(), config: GCP.config(emulator), context: GCP.context(secrets: GCP.secrets([GCP.secretName: content])))
        }
        #expect(error?.code == .credentialsUnavailable)
        #expect(error?.message.hasPrefix("cloudDNS.serviceAccountSecretRef: the secret cert-manager/\(GCP.secretName) key \"key.json\" \(expected)") == true, "\(error?.message ?? "")")
        #expect(error?.message.contains("AAAA") == false && error?.message.contains("refresh_token\":") == false)
    }
}
