import CloudDNSProvider
import DNS01
import Foundation
import Logging
import ProviderKit

extension ProviderBenchSubject {
    /// The Cloud DNS emulator (Tests/Peers/clouddns_emulator.py), with a service-account key it
    /// generated: the JWT's signature is verified at its token endpoint.
    static let cloudDNS = ProviderBenchSubject(name: "cloudDNS") {
        let emulator = try EmulatorProcess(script: "clouddns_emulator.py")
        return ProviderBenchTarget(
            registry: CloudDNSTokenCost.registry(),
            config: CloudDNSTokenCost.config(emulator, hostedZoneName: nil),
            secrets: try await CloudDNSTokenCost.secrets(emulator),
            zone: try DomainName("example.com"),
            apiCalls: { try await emulator.apiCalls() }, stop: { emulator.stop() }
        )
    }
}

/// What getting an access token costs: the first challenge of a plugin signs a JWT (RS256) and
/// exchanges it at the token endpoint; later challenges reuse the cached token. Measured with
/// `hostedZoneName` set, so neither pays for a zone listing and the difference is the token.
enum CloudDNSTokenCost {
    static func registry() -> ProviderRegistry {
        var registry = ProviderRegistry()
        registry.register(CloudDNSPlugin())
        return registry
    }

    static func config(_ emulator: EmulatorProcess, hostedZoneName: String?) -> ConfigValue {
        var block: [String: ConfigValue] = [
            "project": "test-project", "serviceAccountSecretRef": ["name": "clouddns", "key": "key.json"],
            "endpoint": .string(emulator.baseURL + "/dns/v1"),
        ]
        if let hostedZoneName { block["hostedZoneName"] = .string(hostedZoneName) }
        return .object(block)
    }

    static func keyFile(_ emulator: EmulatorProcess) async throws -> String {
        let response = try await AsyncHTTPClientTransport().send(APIRequest(method: "GET", url: emulator.baseURL + "/__admin/key"), timeout: .seconds(10))
        guard response.status == 200 else { throw BenchError("\(emulator.baseURL)/__admin/key answered \(response.status)") }
        return response.bodyText
    }

    static func secrets(_ emulator: EmulatorProcess) async throws -> StaticSecretSource {
        StaticSecretSource([.init(namespace: "bench", name: "clouddns"): ["key.json": SecretValue(try await keyFile(emulator))]])
    }

    /// `rounds` fresh plugins each run one cold Present (token + read + change) and one warm
    /// Present (read + change); the medians, the calls, and RS256 signing alone.
    static func measure(rounds: Int) async throws -> String {
        let emulator = try EmulatorProcess(script: "clouddns_emulator.py")
        defer { emulator.stop() }
        let secrets = try await secrets(emulator)
        let config = config(emulator, hostedZoneName: "example-com")
        let clock = ContinuousClock()
        var cold: [Duration] = []
        var warm: [Duration] = []
        var coldCalls = 0
        var warmCalls = 0
        for round in 0..<rounds {
            let dispatcher = try ChallengeDispatcher(
                registry: registry(), defaultConfig: .object(["cloudDNS": config]), secrets: secrets, logger: Logger(label: "bench"), environment: [:])
            for (index, phase) in ["cold", "warm"].enumerated() {
                let name = try DomainName("_acme-challenge.token\(round)-\(phase).example.com")
                let challenge = Challenge(action: .present, dnsName: name.parent ?? name, resolvedFQDN: name, key: benchKey(round * 2 + index), resourceNamespace: "bench")
                let before = try await emulator.apiCalls()
                let start = clock.now
                try await dispatcher.perform(challenge, solver: "cloudDNS")
                let elapsed = clock.now - start
                let calls = try await emulator.apiCalls() - before
                if index == 0 {
                    cold.append(elapsed)
                    coldCalls = max(coldCalls, calls)
                } else {
                    warm.append(elapsed)
                    warmCalls = max(warmCalls, calls)
                }
            }
        }
        // RS256 alone: the signature the first challenge computes.
        guard let object = try JSONSerialization.jsonObject(with: Data(try await keyFile(emulator).utf8)) as? [String: Any],
            let pem = object["private_key"] as? String, let email = object["client_email"] as? String
        else { throw BenchError("the emulator's key file is not a service-account key") }
        let jwt = try ServiceAccountJWT(issuer: email, keyID: object["private_key_id"] as? String, privateKeyPEM: pem)
        var signing: [Duration] = []
        for index in 0..<max(rounds, 20) {
            let start = clock.now
            _ = try jwt.assertion(scopes: ["https://www.googleapis.com/auth/ndev.clouddns.readwrite"], audience: "https://oauth2.googleapis.com/token", issuedAt: 1_700_000_000 + Int64(index))
            signing.append(clock.now - start)
        }
        cold.sort()
        warm.sort()
        signing.sort()
        func ms(_ d: Duration) -> String { String(format: "%.2f", d.seconds * 1000) }
        return """
            cloudDNS token acquisition (hostedZoneName set; \(rounds) fresh plugins): first challenge p50 \(ms(median(cold))) ms, \(coldCalls) calls \
            (token, read, change); later challenges (cached token) p50 \(ms(median(warm))) ms, \(warmCalls) calls; \
            difference \(ms(median(cold) - median(warm))) ms, of which RS256 signing \(ms(median(signing))) ms
            """
    }
}
