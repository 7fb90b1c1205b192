import AcmeDNSProvider
import DNS01
import Foundation
import Logging
import ProviderKit
import Synchronization
import TestSupport

/// The acme-dns emulator (Tests/Peers/acmedns_emulator.py) and what the tests build plugins,
/// configs, accounts JSON and challenges from.
enum AD {
    static let namespace = "cert-manager"
    /// The emulator's preconfigured accounts: the first may update from anywhere, the second
    /// only from 192.0.2.0/24 (so never from loopback).
    static var account: [String: Any] {
        [
            "username": "11111111-2222-4333-8444-555555555555", "password": "acmeDnsTestPassword_0000000000000000000A",
            "fulldomain": "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee.auth.example.org", "subdomain": "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee", "allowfrom": [String](),
        ]
    }
    static var restrictedAccount: [String: Any] {
        [
            "username": "22222222-3333-4444-8555-666666666666", "password": "acmeDnsTestPassword_1111111111111111111B",
            "fulldomain": "bbbbbbbb-cccc-4ddd-8eee-ffffffffffff.auth.example.org", "subdomain": "bbbbbbbb-cccc-4ddd-8eee-ffffffffffff", "allowfrom": ["192.0.2.0/24"],
        ]
    }
    static let subdomain = "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee"

    static func emulator() async throws -> EmulatorPeer { try await EmulatorPeer("acmedns_emulator.py") }

    static let fastRetries = RetryPolicy(baseDelay: .milliseconds(5), maximumDelay: .milliseconds(50))

    static func plugin(retryPolicy: RetryPolicy = fastRetries) -> AcmeDNSPlugin {
        AcmeDNSPlugin(retryPolicy: retryPolicy, requestTimeout: .seconds(10))
    }

    /// The block cert-manager's docs show, with `host` the emulator.
    static func config(_ emulator: EmulatorPeer, secret: String = "acme-dns") -> ConfigValue {
        ["host": .string(emulator.baseURL), "accountSecretRef": ["name": .string(secret), "key": "acmedns.json"]]
    }

    static func json(_ accounts: [String: [String: Any]]) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: accounts, options: [.sortedKeys]), as: UTF8.self)
    }

    static func secrets(_ text: String) -> StaticSecretSource {
        StaticSecretSource([.init(namespace: namespace, name: "acme-dns"): ["acmedns.json": SecretValue(text)]])
    }

    static func context(secrets: any SecretSource) -> ProviderContext {
        ProviderContext(namespace: namespace, secrets: secrets, allowAmbientCredentials: true, origin: .operatorConfig, logger: Logger(label: "acmedns-tests"), environment: [:])
    }

    static func provider(_ plugin: AcmeDNSPlugin = AD.plugin(), config: ConfigValue, secrets: any SecretSource) async throws -> any DNSProvider {
        let configuration = try plugin.decodeConfiguration(config, at: .root.appending("acmeDNS"), source: .operatorConfig)
        return try await plugin.makeProvider(for: configuration, context: context(secrets: secrets))
    }

    static func challenge(_ action: Challenge.Action, domain: String, _ key: String) throws -> Challenge {
        let name = try DomainName(domain)
        return Challenge(action: action, dnsName: name, resolvedFQDN: try Challenge.recordName(for: name), key: key, resourceNamespace: namespace)
    }

    /// What acme-dns serves for a subdomain (its non-empty values).
    static func values(_ emulator: EmulatorPeer, subdomain: String = AD.subdomain) async throws -> [String] {
        (try await emulator.state()["values"] as? [String: [String]])?[subdomain] ?? []
    }

    static func counts(_ emulator: EmulatorPeer) async throws -> [String: Int] {
        try await emulator.state()["counts"] as? [String: Int] ?? [:]
    }

    /// A 43-character ACME-shaped value.
    static func value(_ label: String) -> String { ProviderContract.acmeShapedValue(label) }
}

/// An accounts Secret that grows: the contract suite registers an account for each fresh
/// domain, and the Secret then holds it (and, under another name, the same accounts with
/// wrong passwords).
final class RegisteredAccounts: SecretSource, Sendable {
    struct Account: Sendable {
        var username, password, fulldomain, subdomain: String
    }
    private let accounts = Mutex<[String: Account]>([:])

    /// Adds what acme-dns's `/register` answered, under `domain`.
    func add(domain: String, account: [String: Any]) {
        let entry = Account(
            username: account["username"] as? String ?? "", password: account["password"] as? String ?? "",
            fulldomain: account["fulldomain"] as? String ?? "", subdomain: account["subdomain"] as? String ?? ""
        )
        accounts.withLock { $0[domain] = entry }
    }

    func subdomain(of domain: String) -> String? {
        accounts.withLock { $0[domain]?.subdomain }
    }

    func secretValue(namespace: String, name: String, key: String) async throws -> SecretValue {
        guard key == "acmedns.json", name == "acme-dns" || name == "acme-dns-wrong" else {
            throw DNS01Error.secretNotFound(namespace: namespace, name: name, origin: "test accounts")
        }
        let wrong = name == "acme-dns-wrong"
        let document: [String: [String: Any]] = accounts.withLock { accounts in
            accounts.mapValues { account in
                [
                    "username": account.username, "password": wrong ? "wrongPassword_000000000000000000000000000" : account.password,
                    "fulldomain": account.fulldomain, "subdomain": account.subdomain, "allowfrom": [String](),
                ]
            }
        }
        return SecretValue(try AD.json(document))
    }
}
