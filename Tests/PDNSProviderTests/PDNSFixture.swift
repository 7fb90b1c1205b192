import DNS01
import DNSClient
import Foundation
import Logging
import PDNSProvider
import ProviderKit
import Synchronization
import TestSupport

/// Counts the requests the provider sends to the real server, and can answer the next ones
/// with a throttling proxy's 429 or a 503 instead (pdns_server itself never throttles).
final class CountingTransport: HTTPTransport {
    private let inner = AsyncHTTPClientTransport()
    private let sent = Atomic<Int>(0)
    private let faults = Mutex<[Int]>([])
    private let log = Mutex<[String]>([])

    var count: Int { sent.load(ordering: .relaxed) }
    var requests: [String] { log.withLock { $0 } }

    /// The next `count` requests get 429 and 503, alternately, without reaching the server.
    func injectFaults(_ count: Int) {
        faults.withLock { $0 = (0..<count).map { $0.isMultiple(of: 2) ? 429 : 503 } }
    }

    func send(_ request: APIRequest, timeout: Duration) async throws -> APIResponse {
        sent.add(1, ordering: .relaxed)
        let body = String(decoding: request.body, as: UTF8.self)
        let changetype = body.range(of: "\"changetype\":\"")
            .map { String(body[$0.upperBound...].prefix { $0 != "\"" }) }
        log.withLock { $0.append("\(request.method) \(changetype ?? "")".trimmingWhitespace()) }
        if let status = faults.withLock({ $0.isEmpty ? nil : $0.removeFirst() }) {
            return APIResponse(status: status, body: Array("{\"error\": \"injected by the test\"}".utf8))
        }
        return try await inner.send(request, timeout: timeout)
    }
}

/// A real pdns_server serving `example.com`, `sub.example.com` (nested) and `example.net`.
final class PDNSFixture: Sendable {
    static let namespace = "cert-manager"
    static let apiKey = "pdns-test-api-key"
    static let logger = Logger(label: "pdns-tests")

    let server: PowerDNSServer
    let transport = CountingTransport()

    init() async throws {
        server = try await PowerDNSServer.start(zones: ["example.com", "sub.example.com", "example.net"], apiKey: Self.apiKey)
    }

    func plugin() -> PDNSPlugin {
        PDNSPlugin(transport: transport, retryPolicy: RetryPolicy(baseDelay: .milliseconds(5), maximumDelay: .milliseconds(50)))
    }

    /// The pdns webhook's README block, pointed at this server.
    func config(secret: String = "pdns-api-key", extra: [String: ConfigValue] = [:]) -> ConfigValue {
        var fields: [String: ConfigValue] = [
            "host": .string(server.host),
            "apiKeySecretRef": ["name": .string(secret), "key": "key"],
        ]
        fields.merge(extra) { $1 }
        return .object(fields)
    }

    static func secrets() -> StaticSecretSource {
        StaticSecretSource([
            .init(namespace: namespace, name: "pdns-api-key"): ["key": SecretValue(apiKey + "\n")],
            .init(namespace: namespace, name: "wrong"): ["key": SecretValue("not-the-pdns-key")],
        ])
    }

    func provider(_ plugin: PDNSPlugin? = nil, config: ConfigValue? = nil) async throws -> any DNSProvider {
        let plugin = plugin ?? self.plugin()
        let configuration = try plugin.decodeConfiguration(config ?? self.config(), at: .root.appending("pdns"), source: .operatorConfig)
        let context = ProviderContext(namespace: Self.namespace, secrets: Self.secrets(), allowAmbientCredentials: false, origin: .operatorConfig, logger: Self.logger, environment: [:])
        return try await plugin.makeProvider(for: configuration, context: context)
    }

    static func challenge(_ action: Challenge.Action, _ fqdn: String, _ key: String) throws -> Challenge {
        let name = try DomainName(fqdn)
        return Challenge(action: action, dnsName: name.parent ?? name, resolvedFQDN: name, key: key, resourceNamespace: namespace)
    }

    /// What the server answers over DNS (not through the API).
    func dnsValues(_ name: DomainName) async throws -> [String] {
        try await DNSExchange(hostAndPort: server.dnsAddress).txtLookup(name.fqdn).values
    }

    /// The rrset as the API shows it: `(content, disabled)` pairs and the TTL. The whole zone
    /// is read: 4.7.3 leaves disabled records out of an `rrset_name`-filtered read.
    func apiRRSet(zone: String, name: String) async throws -> (records: [(String, Bool)], ttl: Int?) {
        let response = try await AsyncHTTPClientTransport().send(
            APIRequest(
                method: "GET", url: "\(server.host)/api/v1/servers/localhost/zones/\(zone).",
                headers: [.init("X-API-Key", Self.apiKey)]
            ), timeout: .seconds(5))
        let object = try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any] ?? [:]
        let sets = (object["rrsets"] as? [[String: Any]] ?? []).filter { $0["type"] as? String == "TXT" && $0["name"] as? String == name + "." }
        let records = sets.flatMap { $0["records"] as? [[String: Any]] ?? [] }.map { ($0["content"] as? String ?? "", $0["disabled"] as? Bool ?? false) }
        return (records, sets.first?["ttl"] as? Int)
    }
}
