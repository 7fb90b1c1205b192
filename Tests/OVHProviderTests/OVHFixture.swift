import DNS01
import Foundation
import Logging
import OVHProvider
import ProviderKit
import TestSupport

/// The OVH API emulator (Tests/Peers/ovh_emulator.py) and what the tests build providers and
/// challenges from.
enum OVHFixture {
    static let namespace = "cert-manager"
    static let applicationKey = "ovhtestappkey"
    static let applicationSecret = "ovh-test-app-secret"
    static let consumerKey = "ovhtestconsumerkey"
    static let readOnlyConsumerKey = "ovhreadonlyconsumerkey"
    static let clientID = "ovh-test-client"
    static let clientSecret = "ovh-test-client-secret"
    static let logger = Logger(label: "ovh-tests")

    static func plugin(environment: OVHEnvironment = OVHEnvironment(requestTimeout: .seconds(10))) -> OVHPlugin {
        OVHPlugin(retryPolicy: RetryPolicy(baseDelay: .milliseconds(5), maximumDelay: .milliseconds(50)), environment: environment)
    }

    /// aureq's block (application keys from one Secret), pointed at the emulator.
    static func config(_ emulator: EmulatorPeer, secret: String = "ovh-credentials", extra: [String: ConfigValue] = [:]) -> ConfigValue {
        var fields: [String: ConfigValue] = [
            "endpoint": .string(emulator.baseURL + "/1.0"),
            "authenticationMethod": "application",
            "applicationKeyRef": ["name": .string(secret), "key": "applicationKey"],
            "applicationSecretRef": ["name": .string(secret), "key": "applicationSecret"],
            "applicationConsumerKeyRef": ["name": .string(secret), "key": "applicationConsumerKey"],
        ]
        fields.merge(extra) { $1 }
        return .object(fields)
    }

    /// aureq's oauth2 block, pointed at the emulator.
    static func oauth2Config(_ emulator: EmulatorPeer, secret: String = "ovh-credentials") -> ConfigValue {
        [
            "endpoint": .string(emulator.baseURL + "/1.0"),
            "authenticationMethod": "oauth2",
            "oauth2ClientIDRef": ["name": .string(secret), "key": "oauth2ClientID"],
            "oauth2ClientSecretRef": ["name": .string(secret), "key": "oauth2ClientSecret"],
            "tokenEndpoint": .string(emulator.baseURL + "/auth/oauth2/token"),
        ]
    }

    static func secrets() -> StaticSecretSource {
        StaticSecretSource([
            .init(namespace: namespace, name: "ovh-credentials"): [
                "applicationKey": SecretValue(applicationKey), "applicationSecret": SecretValue(applicationSecret + "\n"),
                "applicationConsumerKey": SecretValue(consumerKey),
                "oauth2ClientID": SecretValue(clientID), "oauth2ClientSecret": SecretValue(clientSecret),
            ],
            .init(namespace: namespace, name: "wrong"): [
                "applicationKey": SecretValue(applicationKey), "applicationSecret": SecretValue("not-the-ovh-secret"),
                "applicationConsumerKey": SecretValue(consumerKey),
                "oauth2ClientID": SecretValue(clientID), "oauth2ClientSecret": SecretValue("not-the-client-secret"),
            ],
            .init(namespace: namespace, name: "readonly"): [
                "applicationKey": SecretValue(applicationKey), "applicationSecret": SecretValue(applicationSecret),
                "applicationConsumerKey": SecretValue(readOnlyConsumerKey),
            ],
        ])
    }

    static func provider(_ plugin: OVHPlugin = plugin(), config: ConfigValue) async throws -> any DNSProvider {
        let configuration = try plugin.decodeConfiguration(config, at: .root.appending("ovh"), source: .operatorConfig)
        let context = ProviderContext(namespace: namespace, secrets: secrets(), allowAmbientCredentials: false, origin: .operatorConfig, logger: logger, environment: [:])
        return try await plugin.makeProvider(for: configuration, context: context)
    }

    static func challenge(_ action: Challenge.Action, _ fqdn: String, _ key: String) throws -> Challenge {
        let name = try DomainName(fqdn)
        return Challenge(action: action, dnsName: name.parent ?? name, resolvedFQDN: name, key: key, resourceNamespace: namespace)
    }

    /// The TXT targets at `subDomain` of `zone` that OVH's name servers serve (as of the last
    /// refresh), or, with `published: false`, that the API holds.
    static func values(_ emulator: EmulatorPeer, zone: String = "example.com", subDomain: String, published: Bool = true) async throws -> [String] {
        let state = try await emulator.state()
        let records: [[String: Any]] =
            published
            ? ((state["published"] as? [String: Any])?[zone] as? [[String: Any]] ?? [])
            : (state["records"] as? [[String: Any]] ?? []).filter { $0["zone"] as? String == zone }
        return records.filter { $0["fieldType"] as? String == "TXT" && $0["subDomain"] as? String == subDomain }.compactMap { $0["target"] as? String }
    }

    static func calls(_ emulator: EmulatorPeer) async throws -> [String] {
        let requests = try await emulator.admin("GET", "/__admin/state")["requests"] as? [[String: Any]] ?? []
        return requests.map { "\($0["action"] as? String ?? "?") \($0["outcome"] as? String ?? "?")" }
    }
}
