import DNS01
import Foundation
import ProviderKit
import Synchronization
import TestSupport
import Testing

@testable import DNSPodProvider

/// Where keys come from: Secrets (with a session token), the environment, TKE's OIDC role; and
/// when not.
@Suite("DNSPod credentials", .serialized)
struct DNSPodCredentialTests {
    static func ambientConfig(_ emulator: EmulatorPeer) -> ConfigValue {
        // The SDKs' STS providers hard-code https; the operator's config may point STS at the
        // emulator over http.
        ["endpoint": .string(emulator.baseURL), "stsEndpoint": .string(emulator.baseURL)]
    }

    static func tkeEnvironment(tokenFile: String) -> [String: String] {
        ["TKE_ROLE_ARN": DNSPodFixture.roleArn, "TKE_PROVIDER_ID": DNSPodFixture.providerId, "TKE_WEB_IDENTITY_TOKEN_FILE": tokenFile, "TKE_REGION": "ap-guangzhou"]
    }

    static func tokenFile(_ token: String) throws -> (directory: String, file: String) {
        let directory = try makeTemporaryDirectory("tke-oidc")
        try (token + "\n").write(toFile: "\(directory)/token", atomically: true, encoding: .utf8)
        return (directory, "\(directory)/token")
    }

    @Test("a temporary key from Secrets carries its session token")
    func temporaryKeyFromSecrets() async throws {
        let emulator = try await DNSPodFixture.emulator()
        let config = DNSPodFixture.config(emulator, extra: ["sessionTokenRef": ["name": "dnspod-secret", "key": "session-token"]])
        let secrets = DNSPodFixture.secrets(id: DNSPodFixture.temporarySecretId, key: DNSPodFixture.temporarySecretKey, token: DNSPodFixture.temporaryToken)
        let provider = try await DNSPodFixture.provider(DNSPodFixture.plugin(), config: config, context: DNSPodFixture.context(secrets: secrets))
        try await provider.present("_acme-challenge.example.com", "k")
        #expect(try await emulator.dnspodTXT() == ["example.com _acme-challenge k"])

        // Without the token the service refuses the temporary key, and the message says why.
        let withoutToken = try await DNSPodFixture.provider(DNSPodFixture.plugin(), config: DNSPodFixture.config(emulator), context: DNSPodFixture.context(secrets: secrets))
        let text = await failureMessage { try await withoutToken.present("_acme-challenge.example.com", "k2") }
        #expect(text?.hasPrefix("DNSPod rejected the session token of the temporary key from secret cert-manager/dnspod-secret (AuthFailure.TokenFailure)") == true, "\(text ?? "")")
    }

    @Test("the inline secretId of older configs signs like one from a Secret")
    func inlineSecretId() async throws {
        let emulator = try await DNSPodFixture.emulator()
        let config: ConfigValue = ["endpoint": .string(emulator.baseURL), "secretId": .string(DNSPodFixture.secretId), "secretKeyRef": ["name": "dnspod-secret", "key": "secret-key"]]
        let provider = try await DNSPodFixture.provider(DNSPodFixture.plugin(), config: config)
        try await provider.present("_acme-challenge.www.example.com", "inline")
        #expect(try await provider.values("_acme-challenge.www.example.com") == ["inline"])
    }

    @Test("a missing Secret key is named, and nothing is sent")
    func missingSecretKey() async throws {
        let emulator = try await DNSPodFixture.emulator()
        let secrets = StaticSecretSource([.init(namespace: DNSPodFixture.namespace, name: "dnspod-secret"): ["secret-id": SecretValue(DNSPodFixture.secretId)]])
        let text = await failureMessage { _ = try await DNSPodFixture.provider(DNSPodFixture.plugin(), config: DNSPodFixture.config(emulator), context: DNSPodFixture.context(secrets: secrets)) }
        #expect(text == "secret cert-manager/dnspod-secret has no key \"secret-key\" (it has: secret-id)")
        #expect(try await emulator.requests().isEmpty)
    }

    @Test("ambient credentials are refused when the challenge does not allow them, even if the environment has keys")
    func ambientDenied() async throws {
        let emulator = try await DNSPodFixture.emulator()
        let environment = ["TENCENTCLOUD_SECRET_ID": DNSPodFixture.secretId, "TENCENTCLOUD_SECRET_KEY": DNSPodFixture.secretKey]
        let text = await failureMessage {
            _ = try await DNSPodFixture.provider(DNSPodFixture.plugin(), config: Self.ambientConfig(emulator), context: DNSPodFixture.context(allowAmbient: false, environment: environment))
        }
        #expect(text == "no DNSPod credentials: set secretIdRef and secretKeyRef; ambient credentials (environment, TKE OIDC role) are not allowed for this challenge (cert-manager allows them for ClusterIssuers only)")
        #expect(try await emulator.requests().isEmpty)
    }

    @Test("environment keys, with a session token for a temporary key, are used when ambient credentials are allowed")
    func environmentKeys() async throws {
        let emulator = try await DNSPodFixture.emulator()
        let plugin = DNSPodFixture.plugin()
        let permanent = ["TENCENTCLOUD_SECRET_ID": DNSPodFixture.secretId, "TENCENTCLOUD_SECRET_KEY": DNSPodFixture.secretKey]
        try await DNSPodFixture.provider(plugin, config: Self.ambientConfig(emulator), context: DNSPodFixture.context(allowAmbient: true, environment: permanent))
            .present("_acme-challenge.example.com", "env")
        let temporary = ["TENCENTCLOUD_SECRET_ID": DNSPodFixture.temporarySecretId, "TENCENTCLOUD_SECRET_KEY": DNSPodFixture.temporarySecretKey, "TENCENTCLOUD_SESSION_TOKEN": DNSPodFixture.temporaryToken]
        try await DNSPodFixture.provider(plugin, config: Self.ambientConfig(emulator), context: DNSPodFixture.context(allowAmbient: true, environment: temporary))
            .present("_acme-challenge.example.com", "env-temporary")
        #expect(try await emulator.dnspodTXT() == ["example.com _acme-challenge env", "example.com _acme-challenge env-temporary"])
    }

    @Test("a half-set environment is reported by variable name; an empty one asks for credentials")
    func incompleteEnvironment() async throws {
        let emulator = try await DNSPodFixture.emulator()
        let half = await failureMessage {
            _ = try await DNSPodFixture.provider(DNSPodFixture.plugin(), config: Self.ambientConfig(emulator), context: DNSPodFixture.context(allowAmbient: true, environment: ["TKE_ROLE_ARN": DNSPodFixture.roleArn]))
        }
        #expect(half == "TKE_ROLE_ARN set in the environment, but not TKE_PROVIDER_ID and TKE_WEB_IDENTITY_TOKEN_FILE")
        let none = await failureMessage {
            _ = try await DNSPodFixture.provider(DNSPodFixture.plugin(), config: Self.ambientConfig(emulator), context: DNSPodFixture.context(allowAmbient: true))
        }
        #expect(none?.hasPrefix("no DNSPod credentials: set secretIdRef and secretKeyRef, or give the webhook's pod TENCENTCLOUD_SECRET_ID") == true)
    }

    @Test("TKE OIDC: the token is exchanged once for temporary keys that sign every call with their token")
    func tkeFlow() async throws {
        let emulator = try await DNSPodFixture.emulator()
        let (directory, file) = try Self.tokenFile(DNSPodFixture.oidcToken)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let plugin = DNSPodFixture.plugin()
        let context = DNSPodFixture.context(allowAmbient: true, environment: Self.tkeEnvironment(tokenFile: file))
        try await DNSPodFixture.provider(plugin, config: Self.ambientConfig(emulator), context: context).present("_acme-challenge.example.com", "k")
        try await DNSPodFixture.provider(plugin, config: Self.ambientConfig(emulator), context: context).cleanUp("_acme-challenge.example.com", "k")
        #expect(try await emulator.dnspodTXT() == [])

        let requests = try await emulator.requests()
        let sts = requests.filter { $0["action"] as? String == "AssumeRoleWithWebIdentity" }
        #expect(sts.count == 1)
        let parameters = sts.first?["params"] as? [String: Any]
        #expect(parameters?["RoleSessionName"] as? String == "dns01-webhook")
        #expect(parameters?["ProviderId"] as? String == DNSPodFixture.providerId)
        #expect(parameters?["WebIdentityToken"] == nil, "the emulator never logs the token")
        let dns = requests.filter { $0["action"] as? String != "AssumeRoleWithWebIdentity" }
        #expect(dns.count == 4)
        #expect(dns.allSatisfy { ($0["principal"] as? String)?.hasPrefix("AKID") == true && $0["principal"] as? String != DNSPodFixture.secretId && $0["outcome"] as? String == "OK" })
    }

    @Test("TKE OIDC: STS is called anonymously with the region; DNSPod calls are signed with the temporary key and carry no region")
    func tkeRequestHeaders() async throws {
        let emulator = try await DNSPodFixture.emulator()
        let (directory, file) = try Self.tokenFile(DNSPodFixture.oidcToken)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let recorder = RecordingTransport()
        let provider = try await DNSPodFixture.provider(DNSPodFixture.plugin(transport: recorder), config: Self.ambientConfig(emulator), context: DNSPodFixture.context(allowAmbient: true, environment: Self.tkeEnvironment(tokenFile: file)))
        try await provider.present("_acme-challenge.example.com", "k")
        let requests = recorder.requests
        #expect(requests.map { $0.header("X-TC-Action") ?? "" } == ["AssumeRoleWithWebIdentity", "DescribeDomainList", "CreateRecord"])
        let sts = try #require(requests.first)
        #expect(sts.header("Authorization") == "SKIP" && sts.header("X-TC-Region") == "ap-guangzhou" && sts.header("X-TC-Version") == "2018-08-13")
        for request in requests.dropFirst() {
            #expect(request.header("X-TC-Region") == nil && request.header("X-TC-Version") == "2021-03-23" && request.header("X-TC-Language") == "en-US")
            #expect(request.header("Authorization")?.hasPrefix("TC3-HMAC-SHA256 Credential=AKID") == true && request.header("X-TC-Token") != nil)
            #expect(request.header("Authorization")?.contains(DNSPodFixture.secretId) == false)
        }
    }

    /// A wall clock the test can move forward (the emulator's moves with it, by its admin API).
    final class MovableClock: Sendable {
        private let offset = Mutex<Int64>(0)
        func advance(by seconds: Int64) { offset.withLock { $0 += seconds } }
        var now: Int64 { Int64(Date().timeIntervalSince1970) + offset.withLock { $0 } }
    }

    @Test("TKE OIDC: keys are refreshed before they expire, reading the token file again")
    func tkeRefresh() async throws {
        let emulator = try await DNSPodFixture.emulator(config: [
            "accounts": [["secretId": DNSPodFixture.secretId, "secretKey": DNSPodFixture.secretKey, "domains": ["example.com"]]],
            "oidc": ["providerId": DNSPodFixture.providerId, "roleArn": DNSPodFixture.roleArn, "tokens": ["token-a", "token-b"], "account": DNSPodFixture.secretId],
        ])
        let (directory, file) = try Self.tokenFile("token-a")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let clock = MovableClock()
        let plugin = DNSPodFixture.plugin(environment: TencentCloudEnvironment(epochSeconds: { clock.now }))
        let context = DNSPodFixture.context(allowAmbient: true, environment: Self.tkeEnvironment(tokenFile: file))
        let provider = try await DNSPodFixture.provider(plugin, config: Self.ambientConfig(emulator), context: context)
        try await provider.present("_acme-challenge.example.com", "k")
        try await provider.present("_acme-challenge.example.com", "k2")

        // 1 h 56 min later the two-hour keys still work but are due for replacement; the kubelet
        // has rotated the token, and a revoked one proves the file is read again.
        clock.advance(by: 6960)
        try await emulator.admin("POST", "/__admin/clock", ["offsetSeconds": 6960])
        try "token-revoked".write(toFile: file, atomically: true, encoding: .utf8)
        let text = await failureMessage { try await provider.cleanUp("_acme-challenge.example.com", "k") }
        #expect(
            text
                == "TKE OIDC: STS refused the web identity token from \(file) (InvalidParameter.WebIdentityTokenError): it must be the pod's projected service account token for the identity provider tke-oidc, and the trust policy of \(DNSPodFixture.roleArn) must allow this service account"
        )

        try "token-b".write(toFile: file, atomically: true, encoding: .utf8)
        try await provider.cleanUp("_acme-challenge.example.com", "k")
        try await provider.cleanUp("_acme-challenge.example.com", "k2")
        #expect(try await emulator.dnspodTXT() == [])
        #expect(
            try await emulator.outcomes().filter { $0.hasPrefix("AssumeRoleWithWebIdentity") } == [
                "AssumeRoleWithWebIdentity OK", "AssumeRoleWithWebIdentity InvalidParameter.WebIdentityTokenError", "AssumeRoleWithWebIdentity OK",
            ])
    }

    @Test("TKE OIDC: keys the service expires early are replaced and the call retried")
    func tkeExpiredEarly() async throws {
        let emulator = try await DNSPodFixture.emulator()
        let (directory, file) = try Self.tokenFile(DNSPodFixture.oidcToken)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let context = DNSPodFixture.context(allowAmbient: true, environment: Self.tkeEnvironment(tokenFile: file))
        let provider = try await DNSPodFixture.provider(DNSPodFixture.plugin(), config: Self.ambientConfig(emulator), context: context)
        try await provider.present("_acme-challenge.example.com", "k")
        try await emulator.admin("POST", "/__admin/sts/expire")
        try await provider.cleanUp("_acme-challenge.example.com", "k")
        #expect(try await emulator.dnspodTXT() == [])
        let outcomes = try await emulator.outcomes()
        #expect(outcomes.filter { $0.hasPrefix("AssumeRoleWithWebIdentity") }.count == 2)
        #expect(outcomes.contains("DescribeRecordList AuthFailure.TokenFailure"))
    }

    @Test("TKE OIDC: an unknown role is reported with the variable to check")
    func tkeUnknownRole() async throws {
        let emulator = try await DNSPodFixture.emulator()
        let (directory, file) = try Self.tokenFile(DNSPodFixture.oidcToken)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var environment = Self.tkeEnvironment(tokenFile: file)
        environment["TKE_ROLE_ARN"] = "qcs::cam::uin/1:roleName/missing"
        let provider = try await DNSPodFixture.provider(DNSPodFixture.plugin(), config: Self.ambientConfig(emulator), context: DNSPodFixture.context(allowAmbient: true, environment: environment))
        let text = await failureMessage { try await provider.present("_acme-challenge.example.com", "k") }
        #expect(text == "TKE OIDC: STS does not know the role qcs::cam::uin/1:roleName/missing (ResourceNotFound.RoleNotExist): check TKE_ROLE_ARN")
    }

    @Test("TKE OIDC: an unreadable token file is named with its variable")
    func tkeMissingTokenFile() async throws {
        let emulator = try await DNSPodFixture.emulator()
        let environment = ["TKE_ROLE_ARN": DNSPodFixture.roleArn, "TKE_PROVIDER_ID": DNSPodFixture.providerId, "TKE_IDENTITY_TOKEN_FILE": "/nonexistent/token"]
        let provider = try await DNSPodFixture.provider(DNSPodFixture.plugin(), config: Self.ambientConfig(emulator), context: DNSPodFixture.context(allowAmbient: true, environment: environment))
        let text = await failureMessage { try await provider.present("_acme-challenge.example.com", "k") }
        #expect(text == "TKE OIDC: cannot read the web identity token file /nonexistent/token (TKE_IDENTITY_TOKEN_FILE); is the pod's service account bound to a CAM role?")
        #expect(try await emulator.requests().isEmpty)
    }

    @Test("challenges with different credentials share no cached state, not even a domain list")
    func noSharedStateBetweenCredentials() async throws {
        let emulator = try await DNSPodFixture.emulator()
        let plugin = DNSPodFixture.plugin()
        let alice = try await DNSPodFixture.provider(plugin, config: DNSPodFixture.config(emulator), context: DNSPodFixture.context(secrets: DNSPodFixture.secrets()))
        let bob = try await DNSPodFixture.provider(plugin, config: DNSPodFixture.config(emulator), context: DNSPodFixture.context(secrets: DNSPodFixture.secrets(id: DNSPodFixture.otherSecretId, key: DNSPodFixture.otherSecretKey)))
        let mallory = try await DNSPodFixture.provider(plugin, config: DNSPodFixture.config(emulator), context: DNSPodFixture.context(secrets: DNSPodFixture.secrets(key: "guessed")))
        try await alice.present("_acme-challenge.example.com", "a")
        try await bob.present("_acme-challenge.other.example", "b")
        // Alice's cached list must not let Bob's key find example.com, nor a wrong SecretKey for
        // Alice's SecretId skip authentication.
        let bobText = await failureMessage { try await bob.present("_acme-challenge.example.com", "b") }
        #expect(bobText?.hasPrefix("no domain in the DNSPod account of secret cert-manager/dnspod-secret contains _acme-challenge.example.com") == true)
        let malloryText = await failureMessage { _ = try await mallory.txtValues(at: DomainName("_acme-challenge.example.com"), zone: nil) }
        #expect(malloryText?.contains("AuthFailure.SignatureFailure") == true)
        #expect(try await emulator.dnspodTXT() == ["example.com _acme-challenge a", "other.example _acme-challenge b"])
    }
}

/// Passes requests on and keeps them, for tests of what goes on the wire.
final class RecordingTransport: HTTPTransport {
    private let base = AsyncHTTPClientTransport()
    private let recorded = Mutex<[APIRequest]>([])

    var requests: [APIRequest] { recorded.withLock { $0 } }

    func send(_ request: APIRequest, timeout: Duration) async throws -> APIResponse {
        recorded.withLock { $0.append(request) }
        return try await base.send(request, timeout: timeout)
    }
}
