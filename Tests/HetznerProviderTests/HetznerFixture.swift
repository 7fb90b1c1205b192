import DNS01
import Foundation
import HetznerProvider
import Logging
import ProviderKit
import TestSupport

/// The Hetzner Cloud emulator (Tests/Peers/hetzner_emulator.py) and what the tests build
/// providers and challenges from.
enum HetznerFixture {
    static let namespace = "cert-manager"
    static let token = "hetzner-test-token"
    static let readOnlyToken = "hetzner-readonly-token"
    static let otherProjectToken = "hetzner-other-token"
    static let logger = Logger(label: "hetzner-tests")

    static func emulator(config: [String: Any]? = nil) async throws -> EmulatorPeer {
        try await EmulatorPeer("hetzner_emulator.py", config: config)
    }

    /// Retries and action polls that barely wait, so tests run fast.
    static func plugin(readFile: @escaping @Sendable (String) throws -> Data? = { _ in nil }) -> HetznerPlugin {
        HetznerPlugin(
            retryPolicy: RetryPolicy(baseDelay: .milliseconds(5), maximumDelay: .milliseconds(50)),
            polling: HetznerActionPolling(initialDelay: .milliseconds(10), maximumDelay: .milliseconds(50), deadline: .seconds(10)),
            readFile: readFile
        )
    }

    /// The official webhook's block, pointed at the emulator with its `hcloudEndpoint`.
    static func config(_ emulator: EmulatorPeer, secret: String = "hetzner", extra: [String: ConfigValue] = [:]) -> ConfigValue {
        var fields: [String: ConfigValue] = [
            "tokenSecretKeyRef": ["name": .string(secret), "key": "token"],
            "hcloudEndpoint": .string(emulator.baseURL + "/v1"),
        ]
        fields.merge(extra) { $1 }
        return .object(fields)
    }

    static func secrets(_ extra: [String: String] = [:]) -> StaticSecretSource {
        var all: [StaticSecretSource.Key: [String: SecretValue]] = [
            .init(namespace: namespace, name: "hetzner"): ["token": SecretValue(token + "\n")],
            .init(namespace: namespace, name: "hetzner-secret"): ["api-key": SecretValue(token)],
            .init(namespace: namespace, name: "wrong"): ["token": SecretValue("not-a-hetzner-token")],
            .init(namespace: namespace, name: "readonly"): ["token": SecretValue(readOnlyToken)],
            .init(namespace: namespace, name: "other-project"): ["token": SecretValue(otherProjectToken)],
        ]
        for (name, value) in extra { all[.init(namespace: namespace, name: name)] = ["token": SecretValue(value)] }
        return StaticSecretSource(all)
    }

    static func context(origin: ConfigOrigin = .operatorConfig, allowAmbient: Bool = false) -> ProviderContext {
        ProviderContext(namespace: namespace, secrets: secrets(), allowAmbientCredentials: allowAmbient, origin: origin, logger: logger, environment: [:])
    }

    static func provider(_ plugin: HetznerPlugin = plugin(), config: ConfigValue, context: ProviderContext = context()) async throws -> any DNSProvider {
        let configuration = try plugin.decodeConfiguration(config, at: .root.appending("hetzner"), source: .operatorConfig)
        return try await plugin.makeProvider(for: configuration, context: context)
    }

    static func challenge(_ action: Challenge.Action, _ fqdn: String, _ key: String) throws -> Challenge {
        let name = try DomainName(fqdn)
        return Challenge(action: action, dnsName: name.parent ?? name, resolvedFQDN: name, key: key, resourceNamespace: namespace)
    }

    /// The TXT values (unquoted) at `name` in `zone`, read from the emulator's state.
    static func values(_ emulator: EmulatorPeer, zone: String = "example.com", name: String) async throws -> [String] {
        let records = try await emulator.state()["records"] as? [[String: Any]] ?? []
        return
            records
            .filter { $0["zoneName"] as? String == zone && $0["name"] as? String == name && $0["type"] as? String == "TXT" }
            .flatMap { ($0["records"] as? [[String: Any]] ?? []).compactMap { $0["value"] as? String } }
            .map(TXTRecord.unquoted)
    }

    /// `(action name, outcome)` of every logged API call.
    static func calls(_ emulator: EmulatorPeer) async throws -> [String] {
        let requests = try await emulator.admin("GET", "/__admin/state")["requests"] as? [[String: Any]] ?? []
        return requests.map { "\($0["action"] as? String ?? "?") \($0["outcome"] as? String ?? "?")" }
    }
}
