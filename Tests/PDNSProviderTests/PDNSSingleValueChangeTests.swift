import DNS01
import Foundation
import Logging
import PDNSProvider
import ProviderKit
import Synchronization
import Testing

/// A small model of a newer PowerDNS API (the test machine has Debian's 4.7): enough of the
/// server, zones and PATCH endpoints to see which changetypes the provider sends.
final class ModelPowerDNS: HTTPTransport {
    let version: String
    let understandsSingleValueChanges: Bool
    private let state = Mutex<(values: [String], patches: [String], calls: Int)>(([], [], 0))

    init(version: String, understandsSingleValueChanges: Bool) {
        self.version = version
        self.understandsSingleValueChanges = understandsSingleValueChanges
    }

    var patches: [String] { state.withLock { $0.patches } }
    var values: [String] { state.withLock { $0.values } }
    var calls: Int { state.withLock { $0.calls } }

    func send(_ request: APIRequest, timeout: Duration) async throws -> APIResponse {
        state.withLock { $0.calls += 1 }
        let path = request.url.split(separator: "?").first.map(String.init) ?? request.url
        func json(_ object: Any, status: Int = 200) throws -> APIResponse {
            APIResponse(status: status, body: Array(try JSONSerialization.data(withJSONObject: object)))
        }
        switch (request.method, path) {
        case ("GET", let path) where path.hasSuffix("/servers/localhost"):
            return try json(["version": version, "daemon_type": "authoritative"])
        case ("GET", let path) where path.hasSuffix("/zones"):
            return try json([["id": "example.com.", "name": "example.com."]])
        case ("GET", let path) where path.hasSuffix("/zones/example.com."):
            let values = state.withLock { $0.values }
            let rrsets: [[String: Any]] = values.isEmpty ? [] : [["name": "_acme-challenge.example.com.", "type": "TXT", "ttl": 120, "records": values.map { ["content": $0, "disabled": false] }]]
            return try json(["id": "example.com.", "rrsets": rrsets])
        case ("PATCH", let path) where path.hasSuffix("/zones/example.com."):
            let body = try JSONSerialization.jsonObject(with: Data(request.body)) as? [String: Any]
            let rrset = (body?["rrsets"] as? [[String: Any]])?.first ?? [:]
            let changetype = rrset["changetype"] as? String ?? ""
            let contents = (rrset["records"] as? [[String: Any]] ?? []).compactMap { $0["content"] as? String }
            state.withLock { $0.patches.append(changetype) }
            if ["EXTEND", "PRUNE"].contains(changetype), !understandsSingleValueChanges {
                return try json(["error": "Changetype not understood"], status: 422)
            }
            state.withLock { state in
                switch changetype {
                case "EXTEND": for content in contents where !state.values.contains(content) { state.values.append(content) }
                case "PRUNE": state.values.removeAll { contents.contains($0) }
                case "REPLACE": state.values = contents
                case "DELETE": state.values = []
                default: break
                }
            }
            return APIResponse(status: 204, body: [])
        default:
            return try json(["error": "Not Found"], status: 404)
        }
    }
}

@Suite("PowerDNS: EXTEND and PRUNE on servers that have them")
struct PDNSSingleValueChangeTests {
    func provider(_ model: ModelPowerDNS) async throws -> any DNSProvider {
        let plugin = PDNSPlugin(transport: model, retryPolicy: RetryPolicy(sleep: { _ in }))
        let configuration = try plugin.decodeConfiguration(["host": "https://pdns.example.com", "apiKeySecretRef": ["name": "pdns", "key": "key"]], at: .root.appending("pdns"), source: .operatorConfig)
        let secrets = StaticSecretSource([.init(namespace: "ns", name: "pdns"): ["key": SecretValue("k")]])
        return try await plugin.makeProvider(for: configuration, context: ProviderContext(namespace: "ns", secrets: secrets, allowAmbientCredentials: false, origin: .operatorConfig, logger: Logger(label: "pdns"), environment: [:]))
    }

    func challenge(_ action: Challenge.Action, _ key: String) throws -> Challenge {
        Challenge(action: action, dnsName: try DomainName("example.com"), resolvedFQDN: try DomainName("_acme-challenge.example.com"), key: key, resourceNamespace: "ns")
    }

    @Test("4.9.12 and 5.0.2: Present is one EXTEND, CleanUp one PRUNE, no read-modify-write", arguments: ["4.9.12", "5.0.2", "5.1.0"])
    func singleValueChanges(version: String) async throws {
        let model = ModelPowerDNS(version: version, understandsSingleValueChanges: true)
        let provider = try await provider(model)
        try await provider.present(challenge(.present, "a"))
        try await provider.present(challenge(.present, "b"))
        let before = model.calls
        try await provider.present(challenge(.present, "c"))
        #expect(model.calls - before == 1)
        try await provider.cleanUp(challenge(.cleanUp, "a"))
        #expect(model.patches == ["EXTEND", "EXTEND", "EXTEND", "PRUNE"])
        #expect(model.values == ["\"b\"", "\"c\""])
    }

    @Test("the dispatcher's record-name lock is asked for by version: not with EXTEND/PRUNE, yes before 4.9.12 and once a server refused them")
    func recordModelByServer() async throws {
        let name = try DomainName("_acme-challenge.example.com")
        #expect(try await provider(ModelPowerDNS(version: "4.9.12", understandsSingleValueChanges: true)).recordModel(at: name) == .serverSideValueChange)
        #expect(try await provider(ModelPowerDNS(version: "4.7.3", understandsSingleValueChanges: false)).recordModel(at: name) == .readModifyWriteSet)
        let lying = try await provider(ModelPowerDNS(version: "5.0.2", understandsSingleValueChanges: false))
        #expect(try await lying.recordModel(at: name) == .serverSideValueChange)
        try await lying.present(challenge(.present, "a"))
        #expect(try await lying.recordModel(at: name) == .readModifyWriteSet)
    }

    @Test("a server whose version promises EXTEND but refuses it is remembered, and REPLACE is used", arguments: ["5.0.2"])
    func fallsBack(version: String) async throws {
        let model = ModelPowerDNS(version: version, understandsSingleValueChanges: false)
        let provider = try await provider(model)
        try await provider.present(challenge(.present, "a"))
        try await provider.present(challenge(.present, "b"))
        try await provider.cleanUp(challenge(.cleanUp, "a"))
        #expect(model.patches == ["EXTEND", "REPLACE", "REPLACE", "REPLACE"])
        #expect(model.values == ["\"b\""])
    }

    @Test(
        "versions: EXTEND/PRUNE from 4.9.12 in 4.9 and from 5.0.2",
        arguments: [
            ("4.7.3", false), ("4.8.4", false), ("4.9.11", false), ("4.9.12", true), ("4.9.13-beta1", true),
            ("5.0.0", false), ("5.0.1", false), ("5.0.2", true), ("5.1.0-alpha1", true), ("6.0", true), ("4.10.0", true),
        ])
    func versions(text: String, expected: Bool) throws {
        #expect(try #require(PDNSVersion(text)).hasSingleValueChanges == expected)
    }

    @Test("a version that is not major.minor is not trusted")
    func oddVersions() {
        #expect(PDNSVersion("") == nil)
        #expect(PDNSVersion("master") == nil)
        #expect(PDNSVersion("4")?.hasSingleValueChanges == nil)
    }
}
