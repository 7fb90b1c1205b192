import DNS01
import DNSPodProvider
import Foundation
import Logging
import ProviderKit
import TestSupport

/// The DNSPod emulator (Tests/Peers/dnspod_emulator.py) and what the tests build providers from.
enum DNSPodFixture {
    static let namespace = "cert-manager"
    static let logger = Logger(label: "dnspod-tests")

    // The emulator's default accounts (Tests/Peers/README-emulators-more.md).
    static let secretId = "AKIDDNSPODTEST"
    static let secretKey = "dnspod-test-secret"
    static let otherSecretId = "AKIDOTHERACCOUNT"
    static let otherSecretKey = "other-test-secret"
    static let temporarySecretId = "AKIDTEMPTEST"
    static let temporarySecretKey = "temp-test-secret"
    static let temporaryToken = "temp-test-token"
    static let providerId = "tke-oidc"
    static let roleArn = "qcs::cam::uin/100000000001:roleName/dns01-webhook"
    static let oidcToken = "tke-test-oidc-token"

    static func emulator(config: [String: Any]? = nil) async throws -> EmulatorPeer {
        try await EmulatorPeer("dnspod_emulator.py", config: config)
    }

    /// A retry policy that barely sleeps, so retry tests run quickly.
    static let quickRetries = RetryPolicy(baseDelay: .milliseconds(2), maximumDelay: .milliseconds(20))

    static func plugin(
        retryPolicy: RetryPolicy = quickRetries,
        environment: TencentCloudEnvironment = TencentCloudEnvironment(),
        transport: any HTTPTransport = AsyncHTTPClientTransport()
    ) -> DNSPodPlugin {
        DNSPodPlugin(transport: transport, retryPolicy: retryPolicy, environment: environment)
    }

    /// The block for the emulator, with the key from the `dnspod-secret` Secret.
    static func config(_ emulator: EmulatorPeer, extra: [String: ConfigValue] = [:]) -> ConfigValue {
        var fields: [String: ConfigValue] = [
            "endpoint": .string(emulator.baseURL),
            "secretIdRef": ["name": "dnspod-secret", "key": "secret-id"],
            "secretKeyRef": ["name": "dnspod-secret", "key": "secret-key"],
        ]
        fields.merge(extra) { $1 }
        return .object(fields)
    }

    static func secrets(id: String = secretId, key: String = secretKey, token: String? = nil) -> StaticSecretSource {
        var data = ["secret-id": SecretValue(id), "secret-key": SecretValue(key)]
        if let token { data["session-token"] = SecretValue(token) }
        return StaticSecretSource([.init(namespace: namespace, name: "dnspod-secret"): data])
    }

    static func context(
        secrets: any SecretSource = DNSPodFixture.secrets(),
        allowAmbient: Bool = false,
        environment: [String: String] = [:]
    ) -> ProviderContext {
        ProviderContext(namespace: namespace, secrets: secrets, allowAmbientCredentials: allowAmbient, origin: .operatorConfig, logger: logger, environment: environment)
    }

    static func provider(_ plugin: DNSPodPlugin, config: ConfigValue, context: ProviderContext = DNSPodFixture.context()) async throws -> any DNSProvider {
        let configuration = try plugin.decodeConfiguration(config, at: .root.appending("dnspod"), source: .operatorConfig)
        return try await plugin.makeProvider(for: configuration, context: context)
    }

    static func challenge(_ action: Challenge.Action, fqdn: String, key: String) throws -> Challenge {
        let name = try DomainName(fqdn)
        return Challenge(action: action, dnsName: name.parent ?? name, resolvedFQDN: name, key: key, resourceNamespace: namespace)
    }
}

extension EmulatorPeer {
    /// Every record, as the emulator lists it (`Domain`, `Name`, `Type`, `Value`, `Line`, `TTL`, `RecordId`).
    func dnspodRecords() async throws -> [[String: Any]] {
        try await state()["records"] as? [[String: Any]] ?? []
    }

    /// `"<domain> <name> <value>"` of every TXT record, sorted.
    func dnspodTXT() async throws -> [String] {
        try await dnspodRecords().filter { $0["Type"] as? String == "TXT" }
            .map { "\($0["Domain"] ?? "") \($0["Name"] ?? "") \($0["Value"] ?? "")" }.sorted()
    }

    /// The request log: `{action, status, outcome, principal, params, fault, ...}`.
    func requests() async throws -> [[String: Any]] {
        try await admin("GET", "/__admin/state")["requests"] as? [[String: Any]] ?? []
    }

    /// `"<action> <outcome>"` per request, in order.
    func outcomes() async throws -> [String] {
        try await requests().map { "\($0["action"] as? String ?? "?") \($0["outcome"] as? String ?? "?")" }
    }
}

extension DNSProvider {
    func present(_ fqdn: String, _ key: String) async throws {
        try await present(DNSPodFixture.challenge(.present, fqdn: fqdn, key: key))
    }

    func cleanUp(_ fqdn: String, _ key: String) async throws {
        try await cleanUp(DNSPodFixture.challenge(.cleanUp, fqdn: fqdn, key: key))
    }

    func values(_ fqdn: String) async throws -> [String] {
        try await txtValues(at: DomainName(fqdn), zone: nil).sorted()
    }
}

/// The message of whatever `body` throws, or `nil`.
func failureMessage(_ body: () async throws -> Void) async -> String? {
    do {
        try await body()
        return nil
    } catch {
        return "\(error)"
    }
}
