import DNS01
import Foundation
import HuaweiCloudProvider
import Logging
import ProviderKit
import TestSupport

/// The Huawei Cloud DNS emulator (Tests/Peers/huaweicloud_emulator.py) and what the tests build
/// providers from.
enum HuaweiFixture {
    static let namespace = "cert-manager"
    static let logger = Logger(label: "huaweicloud-tests")

    // The emulator's default accounts (Tests/Peers/README-emulators-more.md).
    static let accessKey = "HWAKDNSTEST"
    static let secretKey = "huawei-test-secret"
    static let projectId = "p0000000000000000000000000000001"
    static let otherAccessKey = "HWAKOTHERTEST"
    static let otherSecretKey = "other-huawei-secret"
    static let temporaryAccessKey = "HWSTSTEMPTEST"
    static let temporarySecretKey = "temp-huawei-secret"
    static let securityToken = "huawei-test-security-token"

    static func emulator(config: [String: Any]? = nil) async throws -> EmulatorPeer {
        try await EmulatorPeer("huaweicloud_emulator.py", config: config)
    }

    /// A retry policy that barely sleeps, so retry tests run quickly.
    static let quickRetries = RetryPolicy(baseDelay: .milliseconds(2), maximumDelay: .milliseconds(20))

    static func plugin(
        retryPolicy: RetryPolicy = quickRetries,
        environment: HuaweiCloudEnvironment = HuaweiCloudEnvironment(),
        transport: any HTTPTransport = AsyncHTTPClientTransport()
    ) -> HuaweiCloudPlugin {
        HuaweiCloudPlugin(transport: transport, retryPolicy: retryPolicy, environment: environment)
    }

    /// The vendor webhook's block for the emulator, with the key from the `huaweicloud-secret` Secret.
    static func config(_ emulator: EmulatorPeer, extra: [String: ConfigValue] = [:]) -> ConfigValue {
        var fields: [String: ConfigValue] = [
            "endpoint": .string(emulator.baseURL),
            "accessKeyRef": ["name": "huaweicloud-secret", "key": "accessKey"],
            "secretKeyRef": ["name": "huaweicloud-secret", "key": "secretKey"],
        ]
        fields.merge(extra) { $1 }
        return .object(fields)
    }

    static func secrets(accessKey: String = accessKey, secretKey: String = secretKey, token: String? = nil) -> StaticSecretSource {
        var data = ["accessKey": SecretValue(accessKey), "secretKey": SecretValue(secretKey)]
        if let token { data["securityToken"] = SecretValue(token) }
        return StaticSecretSource([.init(namespace: namespace, name: "huaweicloud-secret"): data])
    }

    static func context(
        secrets: any SecretSource = HuaweiFixture.secrets(),
        allowAmbient: Bool = false,
        environment: [String: String] = [:]
    ) -> ProviderContext {
        ProviderContext(namespace: namespace, secrets: secrets, allowAmbientCredentials: allowAmbient, origin: .operatorConfig, logger: logger, environment: environment)
    }

    static func provider(_ plugin: HuaweiCloudPlugin, config: ConfigValue, context: ProviderContext = HuaweiFixture.context()) async throws -> any DNSProvider {
        let configuration = try plugin.decodeConfiguration(config, at: .root.appending("huaweicloud"), source: .operatorConfig)
        return try await plugin.makeProvider(for: configuration, context: context)
    }

    static func challenge(_ action: Challenge.Action, fqdn: String, key: String) throws -> Challenge {
        let name = try DomainName(fqdn)
        return Challenge(action: action, dnsName: name.parent ?? name, resolvedFQDN: name, key: key, resourceNamespace: namespace)
    }
}

extension EmulatorPeer {
    /// Every record set, as the emulator renders it (`name`, `type`, `records`, `ttl`, `status`, `zone_name`…).
    func recordSets() async throws -> [[String: Any]] {
        try await state()["records"] as? [[String: Any]] ?? []
    }

    /// `"<name> <records joined by space>"` of every TXT set, sorted (records as stored, quoted).
    func txtSets() async throws -> [String] {
        try await recordSets().filter { $0["type"] as? String == "TXT" }
            .map { "\($0["name"] ?? "") \((($0["records"] as? [String]) ?? []).joined(separator: " "))" }.sorted()
    }

    /// The values stored at `fqdn` (with the trailing dot), quoted as stored.
    func storedValues(_ fqdn: String) async throws -> [String] {
        try await recordSets().filter { $0["type"] as? String == "TXT" && $0["name"] as? String == fqdn }
            .flatMap { $0["records"] as? [String] ?? [] }
    }

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
        try await present(HuaweiFixture.challenge(.present, fqdn: fqdn, key: key))
    }

    func cleanUp(_ fqdn: String, _ key: String) async throws {
        try await cleanUp(HuaweiFixture.challenge(.cleanUp, fqdn: fqdn, key: key))
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
