import DNS01
import Foundation
import GandiProvider
import Logging
import ProviderKit
import TestSupport

/// The Gandi LiveDNS emulator (Tests/Peers/gandi_emulator.py) and what the tests build
/// providers and challenges from.
enum GandiFixture {
    static let namespace = "cert-manager"
    static let token = "gandi-test-pat"
    static let limitedToken = "gandi-limited-pat"
    static let apiKey = "gandi-test-apikey"
    static let logger = Logger(label: "gandi-tests")

    static func plugin() -> GandiPlugin {
        GandiPlugin(retryPolicy: RetryPolicy(baseDelay: .milliseconds(5), maximumDelay: .milliseconds(50)), requestTimeout: .seconds(10))
    }

    /// The Gandi webhooks' block, pointed at the emulator's current base URL.
    static func config(_ emulator: EmulatorPeer, secret: String = "gandi-access-token", extra: [String: ConfigValue] = [:]) -> ConfigValue {
        var fields: [String: ConfigValue] = [
            "apiKeySecretRef": ["name": .string(secret), "key": "token"],
            "endpoint": .string(emulator.baseURL + "/v5/livedns"),
        ]
        fields.merge(extra) { $1 }
        return .object(fields)
    }

    static func secrets() -> StaticSecretSource {
        StaticSecretSource([
            .init(namespace: namespace, name: "gandi-access-token"): ["token": SecretValue(token + "\n")],
            .init(namespace: namespace, name: "gandi-limited"): ["token": SecretValue(limitedToken)],
            .init(namespace: namespace, name: "gandi-apikey"): ["token": SecretValue(apiKey)],
            .init(namespace: namespace, name: "wrong"): ["token": SecretValue("not-a-gandi-token")],
        ])
    }

    static func provider(_ plugin: GandiPlugin = plugin(), config: ConfigValue) async throws -> any DNSProvider {
        let configuration = try plugin.decodeConfiguration(config, at: .root.appending("gandi"), source: .operatorConfig)
        let context = ProviderContext(namespace: namespace, secrets: secrets(), allowAmbientCredentials: false, origin: .operatorConfig, logger: logger, environment: [:])
        return try await plugin.makeProvider(for: configuration, context: context)
    }

    static func challenge(_ action: Challenge.Action, _ fqdn: String, _ key: String) throws -> Challenge {
        let name = try DomainName(fqdn)
        return Challenge(action: action, dnsName: name.parent ?? name, resolvedFQDN: name, key: key, resourceNamespace: namespace)
    }

    /// The TXT values (unquoted) at `name` in `domain`, from the emulator's state; `nil` when
    /// there is no rrset.
    static func values(_ emulator: EmulatorPeer, domain: String = "example.com", name: String) async throws -> [String]? {
        let records = try await emulator.state()["records"] as? [[String: Any]] ?? []
        guard let set = records.first(where: { $0["domain"] as? String == domain && $0["rrset_name"] as? String == name && $0["rrset_type"] as? String == "TXT" }) else { return nil }
        return (set["rrset_values"] as? [String] ?? []).map(TXTRecord.unquoted)
    }

    static func calls(_ emulator: EmulatorPeer) async throws -> [String] {
        let requests = try await emulator.admin("GET", "/__admin/state")["requests"] as? [[String: Any]] ?? []
        return requests.map { "\($0["action"] as? String ?? "?") \($0["outcome"] as? String ?? "?")" }
    }
}
