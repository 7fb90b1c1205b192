import AcmeShProvider
import DNS01
import Foundation
import Logging
import TestSupport

/// Where the shim and the test scripts are, and how the tests build an acmesh provider.
enum AcmeShFixture {
    static let namespace = "cert-manager"
    static let logger = Logger(label: "acmesh-tests")

    /// The package's root, found from this file.
    static let root: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()
    static let shimDirectory = root + "/shims/acmesh"
    /// Test scripts written in acme.sh's dnsapi style (Tests/AcmeShScripts/README.md).
    static let scriptsDirectory = root + "/Tests/AcmeShScripts"

    static func plugin(shell: String = "/bin/sh") -> AcmeShPlugin {
        AcmeShPlugin(shimDirectory: shimDirectory, shell: shell)
    }

    static func secrets(_ extra: [String: [String: String]] = [:]) -> StaticSecretSource {
        var all: [StaticSecretSource.Key: [String: SecretValue]] = [
            .init(namespace: namespace, name: "hetzner"): ["token": SecretValue("hetzner-test-token"), "wrong": SecretValue("not-a-hetzner-token")],
            .init(namespace: namespace, name: "state"): ["token": SecretValue("state-secret-token")],
        ]
        for (name, values) in extra { all[.init(namespace: namespace, name: name)] = values.mapValues { SecretValue($0) } }
        return StaticSecretSource(all)
    }

    /// The webhook's own environment, as in a pod: what must never reach a script.
    static let podEnvironment: [String: String] = [
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "KUBERNETES_SERVICE_HOST": "10.96.0.1",
        "POD_LIKE_SECRET": "pod-environment-must-not-leak",
        "AWS_WEB_IDENTITY_TOKEN_FILE": "/var/run/secrets/eks.amazonaws.com/serviceaccount/token",
        "AWS_SECRET_ACCESS_KEY": "pod-cloud-credential",
    ]

    static func context(state: (any ProviderStateStore)? = nil, environment: [String: String] = podEnvironment, logger: Logger = logger) -> ProviderContext {
        ProviderContext(
            namespace: namespace, secrets: secrets(), allowAmbientCredentials: false, origin: .operatorConfig, logger: logger,
            environment: environment, providerState: state)
    }

    static func provider(
        _ block: ConfigValue, plugin: AcmeShPlugin = plugin(), state: (any ProviderStateStore)? = nil, environment: [String: String] = podEnvironment,
        logger: Logger = logger
    ) async throws -> any DNSProvider {
        let configuration = try plugin.decodeConfiguration(block, at: .root.appending("acmesh"), source: .operatorConfig)
        return try await plugin.makeProvider(for: configuration, context: context(state: state, environment: environment, logger: logger))
    }

    static func challenge(_ action: Challenge.Action, _ fqdn: String = "_acme-challenge.www.example.com", key: String) throws -> Challenge {
        let name = try DomainName(fqdn)
        return Challenge(action: action, dnsName: name.parent ?? name, resolvedFQDN: name, key: key, resourceNamespace: namespace)
    }

    /// The `dns_teststate` block with a fresh records file.
    static func stateBlock(_ directory: String, extra: [String: ConfigValue] = [:]) -> ConfigValue {
        var env: [String: ConfigValue] = [
            "STATE_RECORDS": .string("\(directory)/records"),
            "STATE_Token": ["secretKeyRef": ["name": "state", "key": "token"]],
            "STATE_PROBE": .string("\(directory)/probe"),
        ]
        env.merge(extra) { $1 }
        return ["script": "dns_teststate", "scriptsDir": .string(scriptsDirectory), "env": .object(env), "timeout": "10s"]
    }

    static func lines(_ file: String) -> [String] {
        ((try? String(contentsOfFile: file, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }
}
