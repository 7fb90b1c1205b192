import DNS01
import DigitalOceanProvider
import Foundation
import Logging
import ProviderKit
import TestSupport

/// The DigitalOcean emulator (Tests/Peers/digitalocean_emulator.py) and what the tests build
/// plugins, configs and challenges from.
enum DO {
    static let namespace = "cert-manager"
    static let token = "dop_v1_" + String(repeating: "0", count: 64)
    static let readOnlyToken = "dop_v1_" + String(repeating: "1", count: 64)
    static let unknownToken = "dop_v1_" + String(repeating: "9", count: 64)

    static func emulator(config: [String: Any]? = nil) async throws -> EmulatorPeer {
        try await EmulatorPeer("digitalocean_emulator.py", config: config)
    }

    static let fastRetries = RetryPolicy(baseDelay: .milliseconds(5), maximumDelay: .milliseconds(50))

    static func plugin(retryPolicy: RetryPolicy = fastRetries) -> DigitalOceanPlugin {
        DigitalOceanPlugin(retryPolicy: retryPolicy, requestTimeout: .seconds(10))
    }

    /// The block cert-manager's docs show, pointed at the emulator.
    static func config(_ emulator: EmulatorPeer, secret: String = "digitalocean-dns") -> ConfigValue {
        ["tokenSecretRef": ["name": .string(secret), "key": "access-token"], "endpoint": .string(emulator.baseURL)]
    }

    static func secrets(token: String = DO.token, extra: [String: String] = [:]) -> StaticSecretSource {
        var secrets: [StaticSecretSource.Key: [String: SecretValue]] = [
            .init(namespace: namespace, name: "digitalocean-dns"): ["access-token": SecretValue(token)]
        ]
        for (name, value) in extra { secrets[.init(namespace: namespace, name: name)] = ["access-token": SecretValue(value)] }
        return StaticSecretSource(secrets)
    }

    static func context(secrets: StaticSecretSource = DO.secrets()) -> ProviderContext {
        ProviderContext(namespace: namespace, secrets: secrets, allowAmbientCredentials: true, origin: .operatorConfig, logger: Logger(label: "digitalocean-tests"), environment: [:])
    }

    static func provider(_ plugin: DigitalOceanPlugin = DO.plugin(), config: ConfigValue, context: ProviderContext = DO.context()) async throws -> any DNSProvider {
        let configuration = try plugin.decodeConfiguration(config, at: .root, source: .operatorConfig)
        return try await plugin.makeProvider(for: configuration, context: context)
    }

    static func challenge(_ action: Challenge.Action, _ fqdn: String, _ key: String) throws -> Challenge {
        let name = try DomainName(fqdn)
        return Challenge(action: action, dnsName: name.parent ?? name, resolvedFQDN: name, key: key, resourceNamespace: namespace)
    }

    /// The TXT data the emulator holds at `fqdn`.
    static func storedValues(_ emulator: EmulatorPeer, _ fqdn: String) async throws -> [String] {
        let name = try DomainName(fqdn).name
        let records = try await emulator.state()["records"] as? [[String: Any]] ?? []
        return records.filter { $0["type"] as? String == "TXT" && $0["fqdn"] as? String == name }.compactMap { $0["data"] as? String }
    }

    static func counts(_ emulator: EmulatorPeer) async throws -> [String: Int] {
        try await emulator.state()["counts"] as? [String: Int] ?? [:]
    }
}
