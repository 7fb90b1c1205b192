import AsyncHTTPClient
import AzureDNSProvider
import DNS01
import Foundation
import Logging
import NIOSSL
import ProviderKit
import TestSupport

/// The Azure DNS emulator (Tests/Peers/azuredns_emulator.py) with TLS from the test PKI, and
/// what the tests build plugins, configs and challenges from. Its identities are the
/// emulator's default config.
enum AZ {
    static let namespace = "cert-manager"
    static let tenant = "72f988bf-0000-4000-8000-00000000aaaa"
    static let subscription = "11111111-2222-4333-8444-555555555555"
    static let resourceGroup = "dns-rg"
    /// A service principal with DNS Zone Contributor, and one with Reader only.
    static let clientID = "a1a1a1a1-0000-4000-8000-000000000001"
    static let clientSecret = "azure-sp-secret~0000000000000000000000001"
    static let readerClientID = "a1a1a1a1-0000-4000-8000-000000000002"
    static let readerSecret = "azure-sp-secret~reader~00000000000000002"
    static let wrongSecret = "azure-sp-secret~wrong~0000000000000000009"
    /// The application with a federated credential for the webhook's service account.
    static let workloadClientID = "a1a1a1a1-0000-4000-8000-0000000000f1"
    static let workloadSubject = "system:serviceaccount:cert-manager:dns01-webhook"
    /// Two user-assigned managed identities of the "node": a contributor and a reader.
    static let managedClientID = "m1m1m1m1-0000-4000-8000-000000000001"
    static let managedResourceID = "/subscriptions/\(subscription)/resourcegroups/identities/providers/Microsoft.ManagedIdentity/userAssignedIdentities/dns01-webhook"
    static let readerManagedClientID = "m1m1m1m1-0000-4000-8000-000000000002"

    /// The emulator, serving plain HTTP (admin, IMDS) and TLS with the test PKI's serving
    /// certificate (for 127.0.0.1).
    static func emulator(config: [String: Any]? = nil) async throws -> EmulatorPeer {
        let pki = TestPKI.shared
        return try await EmulatorPeer("azuredns_emulator.py", config: config, arguments: ["--tls-cert", pki["servingACert"], "--tls-key", pki["servingAKey"]])
    }

    /// The emulator's default config with changes, for tests that need another cloud or
    /// shorter-lived tokens.
    static func config(_ changes: [String: Any]) async throws -> [String: Any] {
        let result = try await runCommand(python, ["-c", "import json,sys; sys.path.insert(0, 'Tests/Peers'); import azuredns_emulator as e; print(json.dumps(e.DEFAULT_CONFIG))"])
        guard var config = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any] else { throw PeerError("no default config: \(result.stderr)") }
        config.merge(changes) { $1 }
        return config
    }

    /// `https://127.0.0.1:<tls port>`: Resource Manager and Entra ID, over TLS.
    static func tlsBase(_ emulator: EmulatorPeer) -> String { "https://127.0.0.1:\(emulator.peer.announcement["tlsPort"] as? Int ?? 0)" }

    /// A client that trusts the test CA (and nothing else), as a cluster's CA bundle would.
    static let tlsClient: HTTPClient = {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.minimumTLSVersion = .tlsv12
        tls.trustRoots = .file(TestPKI.shared["servingCACert"])
        var configuration = HTTPClient.Configuration(tlsConfiguration: tls)
        configuration.connectionPool.retryConnectionEstablishment = false
        return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }()

    static let fastRetries = RetryPolicy(baseDelay: .milliseconds(5), maximumDelay: .milliseconds(50))

    static func plugin(readFile: (@Sendable (String) throws -> String)? = nil) -> AzureDNSPlugin {
        AzureDNSPlugin(
            transport: AsyncHTTPClientTransport(client: tlsClient), retryPolicy: fastRetries,
            conflictRetryPolicy: RetryPolicy(maximumAttempts: 10, baseDelay: .milliseconds(5), maximumDelay: .milliseconds(50)),
            requestTimeout: .seconds(10), readFile: readFile ?? { try String(contentsOfFile: $0, encoding: .utf8) })
    }

    /// The overrides an operator adds to point the provider at the emulator.
    static func endpoints(_ emulator: EmulatorPeer) -> [String: ConfigValue] {
        ["endpoint": .string(tlsBase(emulator)), "authorityEndpoint": .string(tlsBase(emulator))]
    }

    /// cert-manager's documented service principal block, pointed at the emulator.
    static func secretConfig(_ emulator: EmulatorPeer, clientID: String = AZ.clientID, secret: String = "azuredns-config", hostedZone: String? = "example.com") -> ConfigValue {
        var block: [String: ConfigValue] = [
            "clientID": .string(clientID),
            "clientSecretSecretRef": ["name": .string(secret), "key": "client-secret"],
            "subscriptionID": .string(subscription),
            "tenantID": .string(tenant),
            "resourceGroupName": .string(resourceGroup),
            "environment": "AzurePublicCloud",
        ]
        if let hostedZone { block["hostedZoneName"] = .string(hostedZone) }
        return .object(block.merging(endpoints(emulator)) { $1 })
    }

    /// cert-manager's documented ambient block (workload identity or managed identity).
    static func ambientConfig(_ emulator: EmulatorPeer, managedIdentity: [String: ConfigValue]? = nil) -> ConfigValue {
        var block: [String: ConfigValue] = [
            "subscriptionID": .string(subscription), "resourceGroupName": .string(resourceGroup), "hostedZoneName": "example.com",
            "environment": "AzurePublicCloud",
        ]
        if let managedIdentity { block["managedIdentity"] = .object(managedIdentity) }
        return .object(block.merging(endpoints(emulator)) { $1 })
    }

    static func secrets(_ values: [String: String] = ["azuredns-config": AZ.clientSecret]) -> StaticSecretSource {
        var secrets: [StaticSecretSource.Key: [String: SecretValue]] = [:]
        for (name, value) in values { secrets[.init(namespace: namespace, name: name)] = ["client-secret": SecretValue(value)] }
        return StaticSecretSource(secrets)
    }

    /// What IMDS at the emulator needs in the environment.
    static func imdsEnvironment(_ emulator: EmulatorPeer) -> [String: String] {
        ["AZURE_POD_IDENTITY_AUTHORITY_HOST": emulator.baseURL]
    }

    static func context(
        secrets: StaticSecretSource = AZ.secrets(), ambient: Bool = false, environment: [String: String] = [:], logger: Logger = Logger(label: "azuredns-tests")
    ) -> ProviderContext {
        ProviderContext(namespace: namespace, secrets: secrets, allowAmbientCredentials: ambient, origin: .operatorConfig, logger: logger, environment: environment)
    }

    static func provider(_ plugin: AzureDNSPlugin = AZ.plugin(), config: ConfigValue, context: ProviderContext = AZ.context()) async throws -> any DNSProvider {
        let configuration = try plugin.decodeConfiguration(config, at: .root.appending("azureDNS"), source: .operatorConfig)
        return try await plugin.makeProvider(for: configuration, context: context)
    }

    static func challenge(_ action: Challenge.Action, _ fqdn: String, _ key: String) throws -> Challenge {
        let name = try DomainName(fqdn)
        return Challenge(action: action, dnsName: name.parent ?? name, resolvedFQDN: name, key: key, resourceNamespace: namespace)
    }

    /// The record sets the emulator holds.
    static func recordSets(_ emulator: EmulatorPeer) async throws -> [[String: Any]] {
        try await emulator.state()["records"] as? [[String: Any]] ?? []
    }

    /// The TXT values the emulator holds at `fqdn`.
    static func storedValues(_ emulator: EmulatorPeer, _ fqdn: String) async throws -> [String] {
        let name = try DomainName(fqdn).name
        return try await recordSets(emulator).first { $0["fqdn"] as? String == name }?["values"] as? [String] ?? []
    }

    static func counts(_ emulator: EmulatorPeer) async throws -> [String: Int] {
        try await emulator.state()["counts"] as? [String: Int] ?? [:]
    }

    /// The request log (method, action, status, principal, and what the emulator noted).
    static func requests(_ emulator: EmulatorPeer) async throws -> [[String: Any]] {
        try await emulator.admin("GET", "/__admin/state")["requests"] as? [[String: Any]] ?? []
    }

    /// A service-account token from the emulator's OIDC issuer, as the kubelet projects one.
    static func mintServiceAccountToken(_ emulator: EmulatorPeer, subject: String = AZ.workloadSubject, expiresIn: Int = 3600) async throws -> (token: String, jti: String) {
        let answer = try await emulator.admin("POST", "/__admin/oidc/mint", ["subject": subject, "expiresIn": expiresIn])
        return (answer["token"] as? String ?? "", answer["jti"] as? String ?? "")
    }

    /// Every access token the emulator issued and every assertion it received.
    static func issued(_ emulator: EmulatorPeer) async throws -> [String] {
        let answer = try await emulator.admin("GET", "/__admin/issued")
        return (answer["accessTokens"] as? [String] ?? []) + (answer["assertions"] as? [String] ?? [])
    }
}
