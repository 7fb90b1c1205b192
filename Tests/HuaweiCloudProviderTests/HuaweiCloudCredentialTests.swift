import DNS01
import HuaweiCloudProvider
import TestSupport
import Testing

/// Where keys come from: Secrets (with a security token), inline (innoai's config), the
/// environment; and when not.
@Suite("Huawei Cloud credentials", .serialized)
struct HuaweiCloudCredentialTests {
    @Test("a temporary key from Secrets carries its security token; without it the message says so")
    func temporaryKeyFromSecrets() async throws {
        let emulator = try await HuaweiFixture.emulator()
        let secrets = HuaweiFixture.secrets(accessKey: HuaweiFixture.temporaryAccessKey, secretKey: HuaweiFixture.temporarySecretKey, token: HuaweiFixture.securityToken)
        let config = HuaweiFixture.config(emulator, extra: ["securityTokenRef": ["name": "huaweicloud-secret", "key": "securityToken"]])
        try await HuaweiFixture.provider(HuaweiFixture.plugin(), config: config, context: HuaweiFixture.context(secrets: secrets)).present("_acme-challenge.example.com", "k")
        #expect(try await emulator.storedValues("_acme-challenge.example.com.") == [#""k""#])

        let withoutToken = try await HuaweiFixture.provider(HuaweiFixture.plugin(), config: HuaweiFixture.config(emulator), context: HuaweiFixture.context(secrets: secrets))
        let text = await failureMessage { try await withoutToken.present("_acme-challenge.example.com", "k2") }
        #expect(text?.hasPrefix("Huawei Cloud rejected the security token of the temporary access key from secret cert-manager/huaweicloud-secret (APIGW.0301)") == true, "\(text ?? "")")
    }

    @Test("innoai's inline appKey and appSecret sign like keys from a Secret, and the secret never shows")
    func inlineKeys() async throws {
        let emulator = try await HuaweiFixture.emulator()
        let config: ConfigValue = ["endpoint": .string(emulator.baseURL), "appKey": .string(HuaweiFixture.accessKey), "appSecret": .string(HuaweiFixture.secretKey)]
        let provider = try await HuaweiFixture.provider(HuaweiFixture.plugin(), config: config)
        try await provider.present("_acme-challenge.example.com", "inline")
        #expect(try await provider.values("_acme-challenge.example.com") == ["inline"])

        let wrong: ConfigValue = ["endpoint": .string(emulator.baseURL), "appKey": .string(HuaweiFixture.accessKey), "appSecret": "inline-but-wrong"]
        let text = await failureMessage { try await HuaweiFixture.provider(HuaweiFixture.plugin(), config: wrong).present("_acme-challenge.example.com", "x") }
        #expect(text == "Huawei Cloud rejected the request signature (APIGW.0301): the secret access key (SK) from the config's appKey and appSecret does not belong to its access key (AK); check the secret's value")
        #expect(text?.contains("inline-but-wrong") == false)
    }

    @Test("a missing Secret key is named, and nothing is sent")
    func missingSecretKey() async throws {
        let emulator = try await HuaweiFixture.emulator()
        let secrets = StaticSecretSource([.init(namespace: HuaweiFixture.namespace, name: "huaweicloud-secret"): ["accessKey": SecretValue(HuaweiFixture.accessKey)]])
        let text = await failureMessage { _ = try await HuaweiFixture.provider(HuaweiFixture.plugin(), config: HuaweiFixture.config(emulator), context: HuaweiFixture.context(secrets: secrets)) }
        #expect(text == "secret cert-manager/huaweicloud-secret has no key \"secretKey\" (it has: accessKey)")
        #expect(try await emulator.requests().isEmpty)
    }

    @Test("ambient credentials are refused when the challenge does not allow them, even if the environment has keys")
    func ambientDenied() async throws {
        let emulator = try await HuaweiFixture.emulator()
        let environment = ["HUAWEICLOUD_SDK_AK": HuaweiFixture.accessKey, "HUAWEICLOUD_SDK_SK": HuaweiFixture.secretKey]
        let text = await failureMessage {
            _ = try await HuaweiFixture.provider(HuaweiFixture.plugin(), config: ["endpoint": .string(emulator.baseURL)], context: HuaweiFixture.context(allowAmbient: false, environment: environment))
        }
        #expect(text == "no Huawei Cloud credentials: set accessKeyRef and secretKeyRef; ambient credentials (HUAWEICLOUD_SDK_AK in the environment) are not allowed for this challenge (cert-manager allows them for ClusterIssuers only)")
        #expect(try await emulator.requests().isEmpty)
    }

    @Test("environment keys, with a security token and a project, are used when ambient credentials are allowed")
    func environmentKeys() async throws {
        let emulator = try await HuaweiFixture.emulator()
        let plugin = HuaweiFixture.plugin()
        let config: ConfigValue = ["endpoint": .string(emulator.baseURL)]
        let permanent = ["HUAWEICLOUD_SDK_AK": HuaweiFixture.accessKey, "HUAWEICLOUD_SDK_SK": HuaweiFixture.secretKey, "HUAWEICLOUD_SDK_PROJECT_ID": HuaweiFixture.projectId]
        try await HuaweiFixture.provider(plugin, config: config, context: HuaweiFixture.context(allowAmbient: true, environment: permanent)).present("_acme-challenge.example.com", "env")
        let temporary = ["HUAWEICLOUD_SDK_AK": HuaweiFixture.temporaryAccessKey, "HUAWEICLOUD_SDK_SK": HuaweiFixture.temporarySecretKey, "HUAWEICLOUD_SDK_SECURITY_TOKEN": HuaweiFixture.securityToken]
        try await HuaweiFixture.provider(plugin, config: config, context: HuaweiFixture.context(allowAmbient: true, environment: temporary)).present("_acme-challenge.example.com", "env-temporary")
        #expect(try await emulator.storedValues("_acme-challenge.example.com.") == [#""env""#, #""env-temporary""#])

        // A project the account does not have is refused, so the header was sent.
        let wrongProject = permanent.merging(["HUAWEICLOUD_SDK_PROJECT_ID": "p0000000000000000000000000000404"]) { $1 }
        let text = await failureMessage { try await HuaweiFixture.provider(plugin, config: config, context: HuaweiFixture.context(allowAmbient: true, environment: wrongProject)).present("_acme-challenge.example.com", "x") }
        #expect(text?.hasPrefix("Huawei Cloud refused the projectId of the config for the access key from the HUAWEICLOUD_SDK_AK environment variables (APIGW.0301)") == true, "\(text ?? "")")
    }

    @Test("a half-set environment names the missing variable; an empty one asks for credentials")
    func incompleteEnvironment() async throws {
        let emulator = try await HuaweiFixture.emulator()
        let config: ConfigValue = ["endpoint": .string(emulator.baseURL)]
        let half = await failureMessage {
            _ = try await HuaweiFixture.provider(HuaweiFixture.plugin(), config: config, context: HuaweiFixture.context(allowAmbient: true, environment: ["HUAWEICLOUD_SDK_AK": "x"]))
        }
        #expect(half == "HUAWEICLOUD_SDK_AK set in the environment, but not HUAWEICLOUD_SDK_SK")
        let none = await failureMessage {
            _ = try await HuaweiFixture.provider(HuaweiFixture.plugin(), config: config, context: HuaweiFixture.context(allowAmbient: true))
        }
        #expect(none?.hasPrefix("no Huawei Cloud credentials: set accessKeyRef and secretKeyRef, or give the webhook's pod HUAWEICLOUD_SDK_AK") == true)
    }

    @Test("challenges with different credentials share no cached state, not even a zone list")
    func noSharedStateBetweenCredentials() async throws {
        let emulator = try await HuaweiFixture.emulator()
        let plugin = HuaweiFixture.plugin()
        let alice = try await HuaweiFixture.provider(plugin, config: HuaweiFixture.config(emulator))
        let bob = try await HuaweiFixture.provider(plugin, config: HuaweiFixture.config(emulator), context: HuaweiFixture.context(secrets: HuaweiFixture.secrets(accessKey: HuaweiFixture.otherAccessKey, secretKey: HuaweiFixture.otherSecretKey)))
        let mallory = try await HuaweiFixture.provider(plugin, config: HuaweiFixture.config(emulator), context: HuaweiFixture.context(secrets: HuaweiFixture.secrets(secretKey: "guessed")))
        try await alice.present("_acme-challenge.example.com", "a")
        try await bob.present("_acme-challenge.other.example", "b")
        let bobText = await failureMessage { try await bob.present("_acme-challenge.example.com", "b") }
        #expect(bobText?.hasPrefix("no public zone in the Huawei Cloud account of secret cert-manager/huaweicloud-secret contains _acme-challenge.example.com") == true)
        let malloryText = await failureMessage { _ = try await mallory.txtValues(at: DomainName("_acme-challenge.example.com"), zone: nil) }
        #expect(malloryText?.contains("rejected the request signature") == true)
        #expect(try await emulator.txtSets() == [#"_acme-challenge.example.com. "a""#, #"_acme-challenge.other.example. "b""#])
    }
}
