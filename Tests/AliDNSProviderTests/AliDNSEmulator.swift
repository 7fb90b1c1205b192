import AliDNSProvider
import DNS01
import Foundation
import Logging
import ProviderKit
import TestSupport

/// The AliDNS emulator (Tests/Peers/alidns_emulator.py) on 127.0.0.1, with its admin API.
final class AliDNSEmulator: Sendable {
    let peer: PeerProcess
    let endpoint: String
    private let transport = AsyncHTTPClientTransport()

    static let accessKeyId = "testid"
    static let accessKeySecret = "testsecret"

    /// Starts an emulator; `config` is its JSON config (nil: the built-in `testid` account with
    /// example.com, cn.example.com and xn--bcher-kva.example).
    init(config: [String: Any]? = nil) async throws {
        var arguments = ["Tests/Peers/alidns_emulator.py", "--port", "0"]
        if let config {
            let file = try makeTemporaryDirectory("alidns-emulator") + "/config.json"
            try JSONSerialization.data(withJSONObject: config).write(to: URL(fileURLWithPath: file))
            arguments += ["--config", file]
        }
        peer = try await PeerProcess.start(python, arguments)
        endpoint = "http://127.0.0.1:\(peer.port)"
    }

    deinit { peer.stop() }

    // MARK: Admin API

    @discardableResult
    func admin(_ method: String, _ path: String, _ body: [String: Any]? = nil) async throws -> [String: Any] {
        let data = try body.map { try JSONSerialization.data(withJSONObject: $0) } ?? Data()
        let response = try await transport.send(
            APIRequest(method: method, url: endpoint + path, headers: [.init("Content-Type", "application/json")], body: Array(data)),
            timeout: .seconds(10)
        )
        guard response.status == 200, let object = try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any] else {
            throw PeerError("admin \(method) \(path): HTTP \(response.status) \(response.bodyText)")
        }
        return object
    }

    func injectFaults(_ plan: [String: Any]) async throws { try await admin("POST", "/__admin/faults", plan) }

    func seed(_ body: [String: Any]) async throws { try await admin("POST", "/__admin/seed", body) }

    /// Every record, as `{RR, Type, Value, TTL, Line, DomainName, PunyCode, RecordId}`.
    func records() async throws -> [[String: Any]] {
        try await admin("GET", "/__admin/state?log=0")["records"] as? [[String: Any]] ?? []
    }

    /// `(PunyCode, RR, Value)` of the TXT records, sorted.
    func txt() async throws -> [String] {
        try await records().filter { $0["Type"] as? String == "TXT" }
            .map { "\($0["PunyCode"] ?? "") \($0["RR"] ?? "") \($0["Value"] ?? "")" }.sorted()
    }

    /// The request log: `{action, status, outcome, accessKeyId, params, fault, ...}`.
    func requests() async throws -> [[String: Any]] {
        try await admin("GET", "/__admin/state")["requests"] as? [[String: Any]] ?? []
    }

    func actions() async throws -> [String] {
        try await requests().map { "\($0["action"] as? String ?? "?") \($0["outcome"] as? String ?? "?")" }
    }
}

/// What the provider tests build challenges and plugins from.
enum Fixture {
    static let namespace = "cert-manager"
    static let logger = Logger(label: "alidns-tests")

    /// A retry policy that does not sleep, so retry tests run instantly.
    static let instantRetries = RetryPolicy(sleep: { _ in })

    static func plugin(retryPolicy: RetryPolicy = instantRetries, environment: RPCEnvironment = RPCEnvironment()) -> AliDNSPlugin {
        AliDNSPlugin(retryPolicy: retryPolicy, environment: environment)
    }

    /// The config block for the emulator, with the AccessKey from the `alidns-secrets` Secret.
    static func config(_ emulator: AliDNSEmulator, extra: [String: ConfigValue] = [:]) -> ConfigValue {
        var fields: [String: ConfigValue] = [
            "endpoint": .string(emulator.endpoint),
            "accessTokenSecretRef": ["name": "alidns-secrets", "key": "access-token"],
            "secretKeySecretRef": ["name": "alidns-secrets", "key": "secret-key"],
        ]
        fields.merge(extra) { $1 }
        return .object(fields)
    }

    static func secrets(id: String = AliDNSEmulator.accessKeyId, secret: String = AliDNSEmulator.accessKeySecret, token: String? = nil) -> StaticSecretSource {
        var data = ["access-token": SecretValue(id), "secret-key": SecretValue(secret)]
        if let token { data["sts-token"] = SecretValue(token) }
        return StaticSecretSource([.init(namespace: namespace, name: "alidns-secrets"): data])
    }

    static func context(
        secrets: any SecretSource = Fixture.secrets(),
        allowAmbient: Bool = false,
        environment: [String: String] = [:]
    ) -> ProviderContext {
        ProviderContext(namespace: namespace, secrets: secrets, allowAmbientCredentials: allowAmbient, origin: .operatorConfig, logger: logger, environment: environment)
    }

    static func provider(
        _ plugin: AliDNSPlugin,
        config: ConfigValue,
        context: ProviderContext = Fixture.context()
    ) async throws -> any DNSProvider {
        let configuration = try plugin.decodeConfiguration(config, at: .root.appending("alidns"), source: .operatorConfig)
        return try await plugin.makeProvider(for: configuration, context: context)
    }

    static func challenge(_ action: Challenge.Action = .present, fqdn: String, zone: String? = nil, key: String) throws -> Challenge {
        let name = try DomainName(fqdn)
        return Challenge(
            action: action,
            dnsName: name.parent ?? name,
            resolvedFQDN: name,
            resolvedZone: try zone.map { try DomainName($0) },
            key: key,
            resourceNamespace: namespace
        )
    }
}

extension DNSProvider {
    func present(_ fqdn: String, _ key: String, zone: String? = nil) async throws {
        try await present(Fixture.challenge(.present, fqdn: fqdn, zone: zone, key: key))
    }

    func cleanUp(_ fqdn: String, _ key: String, zone: String? = nil) async throws {
        try await cleanUp(Fixture.challenge(.cleanUp, fqdn: fqdn, zone: zone, key: key))
    }

    func values(_ fqdn: String) async throws -> [String] {
        try await txtValues(at: DomainName(fqdn), zone: nil).sorted()
    }
}
