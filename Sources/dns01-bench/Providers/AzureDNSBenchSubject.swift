import ArgumentParser
import AzureDNSProvider
import DNS01
import Logging
import ProviderKit

extension ProviderBenchSubject {
    /// The Azure DNS emulator (Tests/Peers/azuredns_emulator.py): a service principal's client
    /// secret at its Entra ID token endpoint, Resource Manager with ETag preconditions.
    static let azureDNS = ProviderBenchSubject(name: "azureDNS") {
        let emulator = try EmulatorProcess(script: "azuredns_emulator.py")
        var registry = ProviderRegistry()
        registry.register(AzureDNSPlugin())
        return ProviderBenchTarget(
            registry: registry, config: AzureTokenBench.servicePrincipalBlock(emulator), secrets: AzureTokenBench.secrets,
            zone: try DomainName("example.com"), apiCalls: { try await emulator.apiCalls() }, stop: { emulator.stop() })
    }
}

/// `dns01-bench azure-token`: what getting an access token adds to an Azure DNS challenge. The
/// first challenge of an identity fetches a token (Entra ID's token endpoint for a client
/// secret, IMDS for a managed identity) before its Resource Manager calls; later ones use the
/// cached token. Each round builds a fresh plugin (empty caches), presents once cold and once
/// warm, and cleans up.
struct AzureTokenBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "azure-token", abstract: "azureDNS: a Present with token acquisition (first challenge) vs with the cached token.")

    @Option(help: "Cold/warm pairs measured per identity.") var rounds = 20

    static let secrets = StaticSecretSource([.init(namespace: "bench", name: "azuredns"): ["client-secret": SecretValue("azure-sp-secret~0000000000000000000000001")]])

    static func servicePrincipalBlock(_ emulator: EmulatorProcess) -> ConfigValue {
        [
            "clientID": "a1a1a1a1-0000-4000-8000-000000000001", "clientSecretSecretRef": ["name": "azuredns", "key": "client-secret"],
            "tenantID": "72f988bf-0000-4000-8000-00000000aaaa", "subscriptionID": "11111111-2222-4333-8444-555555555555",
            "resourceGroupName": "dns-rg", "hostedZoneName": "example.com",
            "endpoint": .string(emulator.baseURL), "authorityEndpoint": .string(emulator.baseURL),
        ]
    }

    func run() async throws {
        let emulator = try EmulatorProcess(script: "azuredns_emulator.py")
        defer { emulator.stop() }
        let managedIdentity: ConfigValue = [
            "subscriptionID": "11111111-2222-4333-8444-555555555555", "resourceGroupName": "dns-rg", "hostedZoneName": "example.com",
            "managedIdentity": ["clientID": "m1m1m1m1-0000-4000-8000-000000000001"], "endpoint": .string(emulator.baseURL),
        ]
        print("identity          cold Present p50 ms  warm Present p50 ms  token cost ms  calls cold/warm")
        for (name, block) in [("client secret", Self.servicePrincipalBlock(emulator)), ("managed identity", managedIdentity)] {
            var cold: [Duration] = []
            var warm: [Duration] = []
            var calls = (cold: 0, warm: 0)
            for round in 0..<rounds {
                let plugin = AzureDNSPlugin()
                let configuration = try plugin.decodeConfiguration(block, at: .root, source: .operatorConfig)
                let context = ProviderContext(
                    namespace: "bench", secrets: Self.secrets, allowAmbientCredentials: true, origin: .operatorConfig, logger: Logger(label: "bench"),
                    environment: ["AZURE_POD_IDENTITY_AUTHORITY_HOST": emulator.baseURL])
                let name = try DomainName("_acme-challenge.token\(round).example.com")
                for (index, key) in ["cold-\(round)", "warm-\(round)"].enumerated() {
                    let before = try await emulator.apiCalls()
                    let start = ContinuousClock.now
                    let provider = try await plugin.makeProvider(for: configuration, context: context)
                    try await provider.present(Challenge(action: .present, dnsName: name, resolvedFQDN: name, key: key, resourceNamespace: "bench"))
                    let elapsed = ContinuousClock.now - start
                    let used = try await emulator.apiCalls() - before
                    if index == 0 {
                        cold.append(elapsed)
                        calls.cold = max(calls.cold, used)
                    } else {
                        warm.append(elapsed)
                        calls.warm = max(calls.warm, used)
                    }
                }
                let provider = try await plugin.makeProvider(for: configuration, context: context)
                for key in ["cold-\(round)", "warm-\(round)"] {
                    try await provider.cleanUp(Challenge(action: .cleanUp, dnsName: name, resolvedFQDN: name, key: key, resourceNamespace: "bench"))
                }
            }
            cold.sort()
            warm.sort()
            func ms(_ d: Duration) -> String { String(format: "%.2f", d.seconds * 1000) }
            print(name.padding(18) + ms(median(cold)).padding(21) + ms(median(warm)).padding(21) + ms(median(cold) - median(warm)).padding(15) + "\(calls.cold)/\(calls.warm)")
        }
        print("\n(\(rounds) rounds each; a fresh plugin per round, so the cold Present fetches a token and the warm one reuses it; both write one TXT record set: GET + PUT)")
    }
}
