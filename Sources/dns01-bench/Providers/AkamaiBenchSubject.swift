import AkamaiProvider
import DNS01
import ProviderKit

extension ProviderBenchSubject {
    /// The EdgeGrid-checking Edge DNS emulator (Tests/Peers/akamai_emulator.py) over HTTP.
    static let akamai = ProviderBenchSubject(name: "akamai") {
        let emulator = try EmulatorProcess(script: "akamai_emulator.py")
        var registry = ProviderRegistry()
        registry.register(AkamaiPlugin())
        return ProviderBenchTarget(
            registry: registry,
            config: [
                "serviceConsumerDomain": "akab-emulator00000000-0000000000000000.luna.akamaiapis.net",
                "clientTokenSecretRef": ["name": "akamai", "key": "clientToken"],
                "clientSecretSecretRef": ["name": "akamai", "key": "clientSecret"],
                "accessTokenSecretRef": ["name": "akamai", "key": "accessToken"],
                "endpoint": .string(emulator.baseURL),
            ],
            secrets: StaticSecretSource([
                .init(namespace: "bench", name: "akamai"): [
                    "clientToken": SecretValue("akab-cccccccccccccccc-0000000000000000"),
                    "clientSecret": SecretValue("c2VjcmV0LWZvci10ZXN0cy1vbmx5LWRuczAxLTAwMDA="),
                    "accessToken": SecretValue("akab-aaaaaaaaaaaaaaaa-0000000000000000"),
                ]
            ]),
            zone: try DomainName("example.com"),
            apiCalls: { try await emulator.apiCalls() }, stop: { emulator.stop() }
        )
    }
}
