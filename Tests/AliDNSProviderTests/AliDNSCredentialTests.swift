import DNS01
import Foundation
import Synchronization
import TestSupport
import Testing

@testable import AliDNSProvider

/// Where keys come from: Secrets (with an STS token), the environment, RRSA; and when not.
@Suite("AliDNS credentials", .serialized)
struct AliDNSCredentialTests {
    static let roleArn = "acs:ram::1234567890123456:role/dns01-webhook"
    static let providerArn = "acs:ram::1234567890123456:oidc-provider/ack-rrsa-c0ffee"

    /// An emulator with the default account plus an OIDC role whose STS keys act for it.
    static func rrsaEmulator(tokens: [String], durationSeconds: Int? = nil) async throws -> AliDNSEmulator {
        var oidc: [String: Any] = ["roleArn": roleArn, "oidcProviderArn": providerArn, "tokens": tokens]
        if let durationSeconds { oidc["durationOverrideSeconds"] = durationSeconds }
        return try await AliDNSEmulator(config: [
            "accounts": [["accessKeyId": "testid", "accessKeySecret": "testsecret", "domains": ["example.com"]]],
            "oidc": oidc,
        ])
    }

    static func rrsaEnvironment(tokenFile: String, emulator: AliDNSEmulator) -> [String: String] {
        [
            "ALIBABA_CLOUD_ROLE_ARN": roleArn,
            "ALIBABA_CLOUD_OIDC_PROVIDER_ARN": providerArn,
            "ALIBABA_CLOUD_OIDC_TOKEN_FILE": tokenFile,
            "ALIBABA_CLOUD_STS_ENDPOINT": emulator.endpoint,
        ]
    }

    static func ambientConfig(_ emulator: AliDNSEmulator) -> ConfigValue { ["endpoint": .string(emulator.endpoint)] }

    func message(_ body: () async throws -> Void) async -> String? {
        do {
            try await body()
            return nil
        } catch {
            return "\(error)"
        }
    }

    @Test("STS keys from Secrets carry their security token")
    func stsKeysFromSecrets() async throws {
        let emulator = try await AliDNSEmulator(config: [
            "accounts": [
                ["accessKeyId": "STS.key", "accessKeySecret": "sts-secret", "securityToken": "CAIS+token/with==", "domains": ["example.com"]]
            ]
        ])
        let config = Fixture.config(emulator, extra: ["securityTokenSecretRef": ["name": "alidns-secrets", "key": "sts-token"]])
        let provider = try await Fixture.provider(Fixture.plugin(), config: config, context: Fixture.context(secrets: Fixture.secrets(id: "STS.key", secret: "sts-secret", token: "CAIS+token/with==")))
        try await provider.present("_acme-challenge.example.com", "k")
        #expect(try await emulator.txt() == ["example.com _acme-challenge k"])

        // Without the token, the service refuses the STS key, and the message says why.
        let withoutToken = try await Fixture.provider(Fixture.plugin(), config: Fixture.config(emulator), context: Fixture.context(secrets: Fixture.secrets(id: "STS.key", secret: "sts-secret")))
        let text = await message { try await withoutToken.present("_acme-challenge.example.com", "k") }
        #expect(text?.hasPrefix("AliDNS rejected the STS security token from secret cert-manager/alidns-secrets (InvalidSecurityToken.MismatchWithAccessKey)") == true)
    }

    @Test("a missing Secret key is named, and nothing is sent")
    func missingSecretKey() async throws {
        let emulator = try await AliDNSEmulator()
        let secrets = StaticSecretSource([.init(namespace: Fixture.namespace, name: "alidns-secrets"): ["access-token": SecretValue("testid")]])
        let text = await message { _ = try await Fixture.provider(Fixture.plugin(), config: Fixture.config(emulator), context: Fixture.context(secrets: secrets)) }
        #expect(text == "secret cert-manager/alidns-secrets has no key \"secret-key\" (it has: access-token)")
        #expect(try await emulator.requests().isEmpty)
    }

    @Test("ambient credentials are refused when the challenge does not allow them, even if the environment has keys")
    func ambientDenied() async throws {
        let emulator = try await AliDNSEmulator()
        let environment = ["ALIBABA_CLOUD_ACCESS_KEY_ID": "testid", "ALIBABA_CLOUD_ACCESS_KEY_SECRET": "testsecret"]
        let text = await message {
            _ = try await Fixture.provider(Fixture.plugin(), config: Self.ambientConfig(emulator), context: Fixture.context(allowAmbient: false, environment: environment))
        }
        #expect(text == "no AliDNS credentials: set accessTokenSecretRef and secretKeySecretRef; ambient credentials (environment, RRSA) are not allowed for this challenge (cert-manager allows them for ClusterIssuers only)")
        #expect(try await emulator.requests().isEmpty)
    }

    @Test("environment keys are used when ambient credentials are allowed")
    func environmentKeys() async throws {
        let emulator = try await AliDNSEmulator()
        let environment = ["ALIBABA_CLOUD_ACCESS_KEY_ID": "testid", "ALIBABA_CLOUD_ACCESS_KEY_SECRET": "testsecret"]
        let provider = try await Fixture.provider(Fixture.plugin(), config: Self.ambientConfig(emulator), context: Fixture.context(allowAmbient: true, environment: environment))
        try await provider.present("_acme-challenge.example.com", "k")
        #expect(try await emulator.txt() == ["example.com _acme-challenge k"])
    }

    @Test("a half-set environment is reported by variable name; an empty one asks for credentials")
    func incompleteEnvironment() async throws {
        let emulator = try await AliDNSEmulator()
        let half = await message {
            _ = try await Fixture.provider(Fixture.plugin(), config: Self.ambientConfig(emulator), context: Fixture.context(allowAmbient: true, environment: ["ALIBABA_CLOUD_ROLE_ARN": Self.roleArn]))
        }
        #expect(half == "ALIBABA_CLOUD_ROLE_ARN set in the environment, but not ALIBABA_CLOUD_OIDC_PROVIDER_ARN and ALIBABA_CLOUD_OIDC_TOKEN_FILE")
        let none = await message {
            _ = try await Fixture.provider(Fixture.plugin(), config: Self.ambientConfig(emulator), context: Fixture.context(allowAmbient: true))
        }
        #expect(none?.hasPrefix("no AliDNS credentials: set accessTokenSecretRef and secretKeySecretRef, or give the webhook's pod") == true)
    }

    @Test("RRSA: the OIDC token is exchanged once for STS keys that sign every call, with their token")
    func rrsaFlow() async throws {
        let emulator = try await Self.rrsaEmulator(tokens: ["oidc-token-1"])
        let directory = try makeTemporaryDirectory("rrsa")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let tokenFile = "\(directory)/token"
        try "oidc-token-1\n".write(toFile: tokenFile, atomically: true, encoding: .utf8)
        let plugin = Fixture.plugin()
        let context = Fixture.context(allowAmbient: true, environment: Self.rrsaEnvironment(tokenFile: tokenFile, emulator: emulator))
        try await Fixture.provider(plugin, config: Self.ambientConfig(emulator), context: context).present("_acme-challenge.example.com", "k")
        try await Fixture.provider(plugin, config: Self.ambientConfig(emulator), context: context).cleanUp("_acme-challenge.example.com", "k")
        #expect(try await emulator.txt() == [])

        let requests = try await emulator.requests()
        let sts = requests.filter { $0["action"] as? String == "AssumeRoleWithOIDC" }
        #expect(sts.count == 1)
        #expect((sts.first?["params"] as? [String: Any])?["RoleSessionName"] as? String == "dns01-webhook")
        #expect(sts.first?["bodyParams"] as? [String] != nil && (sts.first?["bodyParams"] as? [String])?.contains("RoleArn") == true)
        let dns = requests.filter { $0["action"] as? String != "AssumeRoleWithOIDC" }
        #expect(dns.count == 5)
        #expect(dns.allSatisfy { ($0["accessKeyId"] as? String)?.hasPrefix("STS.") == true && $0["hasSecurityToken"] as? Bool == true && $0["outcome"] as? String == "OK" })
    }

    /// A wall clock the test can move forward (the emulator's moves with it, by its admin API).
    final class MovableClock: Sendable {
        private let offset = Mutex<Int64>(0)
        func advance(by seconds: Int64) { offset.withLock { $0 += seconds } }
        var now: Int64 { Int64(Date().timeIntervalSince1970) + offset.withLock { $0 } }
    }

    @Test("RRSA: keys are refreshed five minutes before they expire, reading the token file again")
    func rrsaRefresh() async throws {
        let emulator = try await Self.rrsaEmulator(tokens: ["token-a", "token-b"])
        let directory = try makeTemporaryDirectory("rrsa")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let tokenFile = "\(directory)/token"
        try "token-a".write(toFile: tokenFile, atomically: true, encoding: .utf8)
        let clock = MovableClock()
        let plugin = Fixture.plugin(environment: RPCEnvironment(epochSeconds: { clock.now }))
        let context = Fixture.context(allowAmbient: true, environment: Self.rrsaEnvironment(tokenFile: tokenFile, emulator: emulator))
        let provider = try await Fixture.provider(plugin, config: Self.ambientConfig(emulator), context: context)
        try await provider.present("_acme-challenge.example.com", "k")
        try await provider.present("_acme-challenge.example.com", "k2")

        // 56 minutes later the one-hour keys still work, but are due for replacement; the
        // kubelet has rotated the token, and a revoked one proves the file is read again.
        clock.advance(by: 3360)
        try await emulator.admin("POST", "/__admin/clock", ["offsetSeconds": 3360])
        try "token-revoked".write(toFile: tokenFile, atomically: true, encoding: .utf8)
        let text = await message { try await provider.cleanUp("_acme-challenge.example.com", "k") }
        #expect(text == "RRSA: STS refused the OIDC token from \(tokenFile) (AuthenticationFail.OIDCToken.Invalid): it must be the pod's RRSA token (audience sts.aliyuncs.com), and the trust policy of \(Self.roleArn) must allow this service account")

        try "token-b".write(toFile: tokenFile, atomically: true, encoding: .utf8)
        try await provider.cleanUp("_acme-challenge.example.com", "k")
        try await provider.cleanUp("_acme-challenge.example.com", "k2")
        #expect(try await emulator.txt() == [])
        #expect(
            try await emulator.actions().filter { $0.hasPrefix("AssumeRoleWithOIDC") } == [
                "AssumeRoleWithOIDC OK", "AssumeRoleWithOIDC AuthenticationFail.OIDCToken.Invalid", "AssumeRoleWithOIDC OK",
            ])
    }

    @Test("RRSA: keys the service expires early are replaced and the call retried")
    func rrsaExpiredEarly() async throws {
        let emulator = try await Self.rrsaEmulator(tokens: ["oidc-token"])
        let directory = try makeTemporaryDirectory("rrsa")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try "oidc-token".write(toFile: "\(directory)/token", atomically: true, encoding: .utf8)
        let context = Fixture.context(allowAmbient: true, environment: Self.rrsaEnvironment(tokenFile: "\(directory)/token", emulator: emulator))
        let provider = try await Fixture.provider(Fixture.plugin(), config: Self.ambientConfig(emulator), context: context)
        try await provider.present("_acme-challenge.example.com", "k")
        try await emulator.admin("POST", "/__admin/sts/expire")
        try await provider.cleanUp("_acme-challenge.example.com", "k")
        #expect(try await emulator.txt() == [])
        let outcomes = try await emulator.actions()
        #expect(outcomes.filter { $0.hasPrefix("AssumeRoleWithOIDC") }.count == 2)
        #expect(outcomes.contains("DescribeDomainRecords InvalidSecurityToken.Expired"))
    }

    @Test("RRSA: an unknown role is reported with the variable to check")
    func rrsaUnknownRole() async throws {
        let emulator = try await Self.rrsaEmulator(tokens: ["t"])
        let directory = try makeTemporaryDirectory("rrsa")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try "t".write(toFile: "\(directory)/token", atomically: true, encoding: .utf8)
        var environment = Self.rrsaEnvironment(tokenFile: "\(directory)/token", emulator: emulator)
        environment["ALIBABA_CLOUD_ROLE_ARN"] = "acs:ram::1:role/missing"
        let provider = try await Fixture.provider(Fixture.plugin(), config: Self.ambientConfig(emulator), context: Fixture.context(allowAmbient: true, environment: environment))
        let text = await message { try await provider.present("_acme-challenge.example.com", "k") }
        #expect(text == "RRSA: STS does not know the role acs:ram::1:role/missing (EntityNotExist.Role): check ALIBABA_CLOUD_ROLE_ARN")
    }

    @Test("challenges with different credentials share no cached state, not even a domain list")
    func noSharedStateBetweenCredentials() async throws {
        let emulator = try await AliDNSEmulator(config: [
            "accounts": [
                ["accessKeyId": "alice", "accessKeySecret": "alice-secret", "domains": ["example.com"]],
                ["accessKeyId": "bob", "accessKeySecret": "bob-secret", "domains": ["example.net"]],
            ]
        ])
        let plugin = Fixture.plugin()
        let alice = try await Fixture.provider(plugin, config: Fixture.config(emulator), context: Fixture.context(secrets: Fixture.secrets(id: "alice", secret: "alice-secret")))
        let bob = try await Fixture.provider(plugin, config: Fixture.config(emulator), context: Fixture.context(secrets: Fixture.secrets(id: "bob", secret: "bob-secret")))
        let mallory = try await Fixture.provider(plugin, config: Fixture.config(emulator), context: Fixture.context(secrets: Fixture.secrets(id: "alice", secret: "guessed")))
        try await alice.present("_acme-challenge.example.com", "a")
        try await bob.present("_acme-challenge.example.net", "b")
        // Alice's cached list must not let Bob's keys find example.com, nor a wrong secret for
        // Alice's ID skip authentication.
        let bobText = await message { try await bob.present("_acme-challenge.example.com", "b") }
        #expect(bobText?.hasPrefix("no domain in the AliDNS account of secret cert-manager/alidns-secrets contains _acme-challenge.example.com") == true)
        let malloryText = await message { _ = try await mallory.txtValues(at: DomainName("_acme-challenge.example.com"), zone: nil) }
        #expect(malloryText?.contains("SignatureDoesNotMatch") == true)
        #expect(try await emulator.txt() == ["example.com _acme-challenge a", "example.net _acme-challenge b"])
    }
}
