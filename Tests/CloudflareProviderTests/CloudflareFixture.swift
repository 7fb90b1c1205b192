import CloudflareProvider
import DNS01
import Foundation
import Logging
import ProviderKit
import TestSupport

/// The Cloudflare emulator (Tests/Peers/cloudflare_emulator.py) and what the tests build
/// plugins, configs and challenges from.
enum CF {
    static let namespace = "cert-manager"
    static let token = "cf-test-token-all-zones-dns-edit-0000000"
    static let exampleComOnlyToken = "cf-test-token-example-com-only-000000000"
    static let readOnlyToken = "cf-test-token-read-only-all-zones-000000"
    /// Well formed, unknown to the emulator.
    static let unknownToken = "cf-test-token-unknown-000000000000000000"
    static let email = "dns01@example.com"
    static let apiKey = "0123456789abcdef0123456789abcdef01234"

    static func emulator(config: [String: Any]? = nil) async throws -> EmulatorPeer {
        try await EmulatorPeer("cloudflare_emulator.py", config: config)
    }

    static func endpoint(_ emulator: EmulatorPeer) -> String { emulator.baseURL + "/client/v4" }

    /// Short backoff; a `Retry-After` is still waited for.
    static let fastRetries = RetryPolicy(baseDelay: .milliseconds(5), maximumDelay: .milliseconds(50))

    static func plugin(retryPolicy: RetryPolicy = fastRetries) -> CloudflarePlugin {
        CloudflarePlugin(retryPolicy: retryPolicy, requestTimeout: .seconds(10))
    }

    /// The token block cert-manager's docs show, pointed at the emulator.
    static func tokenConfig(_ emulator: EmulatorPeer, secret: String = "cloudflare-api-token-secret") -> ConfigValue {
        ["apiTokenSecretRef": ["name": .string(secret), "key": "api-token"], "endpoint": .string(endpoint(emulator))]
    }

    static func keyConfig(_ emulator: EmulatorPeer, email: String = CF.email) -> ConfigValue {
        [
            "email": .string(email),
            "apiKeySecretRef": ["name": "cloudflare-api-key-secret", "key": "api-key"],
            "endpoint": .string(endpoint(emulator)),
        ]
    }

    static func secrets(token: String = CF.token, key: String = CF.apiKey, extra: [String: String] = [:]) -> StaticSecretSource {
        var secrets: [StaticSecretSource.Key: [String: SecretValue]] = [
            .init(namespace: namespace, name: "cloudflare-api-token-secret"): ["api-token": SecretValue(token)],
            .init(namespace: namespace, name: "cloudflare-api-key-secret"): ["api-key": SecretValue(key)],
        ]
        for (name, value) in extra { secrets[.init(namespace: namespace, name: name)] = ["api-token": SecretValue(value)] }
        return StaticSecretSource(secrets)
    }

    static func context(secrets: StaticSecretSource = CF.secrets(), logger: Logger = Logger(label: "cloudflare-tests")) -> ProviderContext {
        ProviderContext(namespace: namespace, secrets: secrets, allowAmbientCredentials: true, origin: .operatorConfig, logger: logger, environment: [:])
    }

    static func provider(_ plugin: CloudflarePlugin = CF.plugin(), config: ConfigValue, context: ProviderContext = CF.context()) async throws -> any DNSProvider {
        let configuration = try plugin.decodeConfiguration(config, at: .root, source: .operatorConfig)
        return try await plugin.makeProvider(for: configuration, context: context)
    }

    static func challenge(_ action: Challenge.Action, _ fqdn: String, _ key: String) throws -> Challenge {
        let name = try DomainName(fqdn)
        return Challenge(action: action, dnsName: name.parent ?? name, resolvedFQDN: name, key: key, resourceNamespace: namespace)
    }

    /// The TXT contents the emulator holds at `fqdn`, as stored.
    static func storedValues(_ emulator: EmulatorPeer, _ fqdn: String) async throws -> [String] {
        let name = try DomainName(fqdn).name
        let records = try await emulator.state()["records"] as? [[String: Any]] ?? []
        return records.filter { $0["type"] as? String == "TXT" && $0["name"] as? String == name }.compactMap { $0["content"] as? String }
    }

    static func counts(_ emulator: EmulatorPeer) async throws -> [String: Int] {
        try await emulator.state()["counts"] as? [String: Int] ?? [:]
    }
}
