import AliDNSProvider
import DNS01
import MemoryProvider
import ProviderKit
import Route53Emulator
import Route53Provider

extension ProviderBenchSubject {
    static let memory = ProviderBenchSubject(name: "memory") {
        let plugin = MemoryPlugin()
        var registry = ProviderRegistry()
        registry.register(plugin)
        return ProviderBenchTarget(
            registry: registry, config: [:], secrets: StaticSecretSource([:]), zone: try DomainName("example.com"),
            apiCalls: { plugin.store.callCount }, stop: {}
        )
    }

    /// The in-process Route53 model (signatures checked, no rate limit, no latency).
    static let route53 = ProviderBenchSubject(name: "route53") {
        var options = Route53Emulator.Options()
        options.requestsPerSecond = nil
        options.credentials = ["AKIDBENCH": "bench-secret"]
        let emulator = Route53Emulator(options: options)
        emulator.addZone("example.com")
        var registry = ProviderRegistry()
        registry.register(Route53Plugin(sender: AWSRequestSender(transport: emulator), requestsPerSecond: nil))
        return ProviderBenchTarget(
            registry: registry,
            config: ["accessKeyID": "AKIDBENCH", "secretAccessKeySecretRef": ["name": "aws", "key": "secret"], "endpoint": "https://route53.bench"],
            secrets: StaticSecretSource([.init(namespace: "bench", name: "aws"): ["secret": SecretValue("bench-secret")]]),
            zone: try DomainName("example.com"),
            apiCalls: { emulator.requests.count }, stop: {}
        )
    }

    /// The signature-checking AliDNS emulator (Tests/Peers/alidns_emulator.py) over HTTP.
    static let alidns = ProviderBenchSubject(name: "alidns") {
        let emulator = try EmulatorProcess(script: "alidns_emulator.py")
        var registry = ProviderRegistry()
        registry.register(AliDNSPlugin())
        return ProviderBenchTarget(
            registry: registry,
            config: [
                "endpoint": .string(emulator.baseURL),
                "accessTokenSecretRef": ["name": "alidns", "key": "id"], "secretKeySecretRef": ["name": "alidns", "key": "secret"],
            ],
            secrets: StaticSecretSource([.init(namespace: "bench", name: "alidns"): ["id": SecretValue("testid"), "secret": SecretValue("testsecret")]]),
            zone: try DomainName("example.com"),
            apiCalls: { try await emulator.apiCalls() }, stop: { emulator.stop() }
        )
    }
}
