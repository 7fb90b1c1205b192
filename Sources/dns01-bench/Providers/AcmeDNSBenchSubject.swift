import AcmeDNSProvider
import DNS01
import Foundation
import ProviderKit

extension ProviderBenchSubject {
    /// The acme-dns emulator (Tests/Peers/acmedns_emulator.py) over HTTP. Every domain the
    /// benchmark uses maps to the emulator's first account (acme-dns keeps its two newest values).
    static let acmeDNS = ProviderBenchSubject(name: "acmeDNS") {
        let emulator = try EmulatorProcess(script: "acmedns_emulator.py")
        var registry = ProviderRegistry()
        registry.register(AcmeDNSPlugin())
        let account: [String: Any] = [
            "username": "11111111-2222-4333-8444-555555555555", "password": "acmeDnsTestPassword_0000000000000000000A",
            "fulldomain": "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee.auth.example.org", "subdomain": "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee",
            "allowfrom": [String](),
        ]
        var accounts: [String: Any] = ["warm.example.com": account]
        for round in 0..<1_000 { accounts["round\(round).example.com"] = account }
        let json = String(decoding: try JSONSerialization.data(withJSONObject: accounts), as: UTF8.self)
        return ProviderBenchTarget(
            registry: registry,
            config: ["host": .string(emulator.baseURL), "accountSecretRef": ["name": "acme-dns", "key": "acmedns.json"]],
            secrets: StaticSecretSource([.init(namespace: "bench", name: "acme-dns"): ["acmedns.json": SecretValue(json)]]),
            zone: try DomainName("example.com"),
            apiCalls: { try await emulator.apiCalls() }, stop: { emulator.stop() }
        )
    }
}
