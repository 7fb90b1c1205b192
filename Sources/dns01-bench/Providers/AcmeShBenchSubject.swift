import AcmeShProvider
import DNS01
import ProviderKit

extension ProviderBenchSubject {
    /// The acmesh bridge running Tests/AcmeShScripts/dns_testhcloud.sh (a test script in
    /// acme.sh's dnsapi style) against the Hetzner Cloud emulator: what one `sh` per step, the
    /// shim and a script cost next to the Swift hetzner provider on the same API.
    static let acmesh = ProviderBenchSubject(name: "acmesh") {
        let emulator = try EmulatorProcess(script: "hetzner_emulator.py")
        var registry = ProviderRegistry()
        registry.register(AcmeShPlugin(shimDirectory: "\(benchRepositoryRoot)/shims/acmesh"))
        return ProviderBenchTarget(
            registry: registry,
            config: [
                "script": "dns_testhcloud", "scriptsDir": .string("\(benchRepositoryRoot)/Tests/AcmeShScripts"),
                "env": ["HCLOUDT_Token": ["secretKeyRef": ["name": "hetzner", "key": "token"]], "HCLOUDT_Api": .string(emulator.baseURL + "/v1")],
            ],
            secrets: StaticSecretSource([.init(namespace: "bench", name: "hetzner"): ["token": SecretValue("hetzner-test-token")]]),
            zone: try DomainName("example.com"),
            apiCalls: { try await emulator.apiCalls() }, stop: { emulator.stop() }
        )
    }
}
