import AkamaiProvider
import DNS01
import Foundation
import Logging
import ProviderKit
import TestSupport

/// The Akamai Edge DNS emulator (Tests/Peers/akamai_emulator.py) and what the tests build
/// plugins, configs and challenges from.
enum AK {
    static let namespace = "cert-manager"
    static let host = "akab-emulator00000000-0000000000000000.luna.akamaiapis.net"
    static let clientToken = "akab-cccccccccccccccc-0000000000000000"
    static let clientSecret = "c2VjcmV0LWZvci10ZXN0cy1vbmx5LWRuczAxLTAwMDA="
    static let accessToken = "akab-aaaaaaaaaaaaaaaa-0000000000000000"
    /// The emulator's second client, granted example.org only.
    static let orgClientToken = "akab-cccccccccccccccc-1111111111111111"
    static let orgClientSecret = "c2VjcmV0LWZvci10ZXN0cy1vbmx5LWRuczAxLTAwMDE="
    static let orgAccessToken = "akab-aaaaaaaaaaaaaaaa-1111111111111111"

    static func emulator(config: [String: Any]? = nil) async throws -> EmulatorPeer {
        try await EmulatorPeer("akamai_emulator.py", config: config)
    }

    static let fastRetries = RetryPolicy(baseDelay: .milliseconds(5), maximumDelay: .milliseconds(50))

    static func plugin(transport: any HTTPTransport = AsyncHTTPClientTransport(), retryPolicy: RetryPolicy = fastRetries) -> AkamaiPlugin {
        AkamaiPlugin(transport: transport, retryPolicy: retryPolicy, environment: AkamaiEnvironment(requestTimeout: .seconds(10)))
    }

    /// The block cert-manager's docs show, with the operator's `endpoint` pointing at the emulator.
    static func config(_ emulator: EmulatorPeer, secret: String = "akamai-dns") -> ConfigValue {
        [
            "serviceConsumerDomain": .string(host),
            "clientTokenSecretRef": ["name": .string(secret), "key": "clientToken"],
            "clientSecretSecretRef": ["name": .string(secret), "key": "clientSecret"],
            "accessTokenSecretRef": ["name": .string(secret), "key": "accessToken"],
            "endpoint": .string(emulator.baseURL),
        ]
    }

    static func secretData(clientToken: String = AK.clientToken, clientSecret: String = AK.clientSecret, accessToken: String = AK.accessToken) -> [String: SecretValue] {
        ["clientToken": SecretValue(clientToken), "clientSecret": SecretValue(clientSecret), "accessToken": SecretValue(accessToken)]
    }

    static func secrets(_ data: [String: SecretValue] = AK.secretData(), extra: [String: [String: SecretValue]] = [:]) -> StaticSecretSource {
        var secrets: [StaticSecretSource.Key: [String: SecretValue]] = [.init(namespace: namespace, name: "akamai-dns"): data]
        for (name, value) in extra { secrets[.init(namespace: namespace, name: name)] = value }
        return StaticSecretSource(secrets)
    }

    static func context(secrets: StaticSecretSource = AK.secrets(), logger: Logger = Logger(label: "akamai-tests")) -> ProviderContext {
        ProviderContext(namespace: namespace, secrets: secrets, allowAmbientCredentials: true, origin: .operatorConfig, logger: logger, environment: [:])
    }

    static func provider(_ plugin: AkamaiPlugin = AK.plugin(), config: ConfigValue, context: ProviderContext = AK.context()) async throws -> any DNSProvider {
        let configuration = try plugin.decodeConfiguration(config, at: .root, source: .operatorConfig)
        return try await plugin.makeProvider(for: configuration, context: context)
    }

    static func challenge(_ action: Challenge.Action, _ fqdn: String, _ key: String) throws -> Challenge {
        let name = try DomainName(fqdn)
        return Challenge(action: action, dnsName: name.parent ?? name, resolvedFQDN: name, key: key, resourceNamespace: namespace)
    }

    /// The TXT set the emulator holds at `fqdn`, as stored (quoted rdata), or nil.
    static func storedSet(_ emulator: EmulatorPeer, _ fqdn: String) async throws -> [String: Any]? {
        let name = try DomainName(fqdn).name
        let sets = try await emulator.state()["recordsets"] as? [[String: Any]] ?? []
        return sets.first { $0["type"] as? String == "TXT" && $0["name"] as? String == name }
    }

    /// The values of that set, unquoted.
    static func storedValues(_ emulator: EmulatorPeer, _ fqdn: String) async throws -> [String] {
        (try await storedSet(emulator, fqdn)?["rdata"] as? [String] ?? []).map(TXTRecord.unquoted)
    }

    static func writes(_ emulator: EmulatorPeer) async throws -> [[String: Any]] {
        try await emulator.state()["writes"] as? [[String: Any]] ?? []
    }

    static func counts(_ emulator: EmulatorPeer) async throws -> [String: Int] {
        try await emulator.state()["counts"] as? [String: Int] ?? [:]
    }
}

/// A transport that runs a hook after each answer, to play another replica at an exact moment.
struct HookTransport: HTTPTransport {
    let inner: any HTTPTransport
    let after: @Sendable (APIRequest, APIResponse) async throws -> Void

    func send(_ request: APIRequest, timeout: Duration) async throws -> APIResponse {
        let response = try await inner.send(request, timeout: timeout)
        try await after(request, response)
        return response
    }
}
