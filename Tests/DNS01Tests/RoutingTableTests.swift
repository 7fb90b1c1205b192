import MemoryProvider
import TestSupport
import Testing

@testable import DNS01

@Suite("Config decoding")
struct RoutingTableTests {
    var registry: ProviderRegistry {
        var registry = ProviderRegistry()
        registry.register(MemoryPlugin())
        registry.register(FakeCloudPlugin())
        return registry
    }

    func decode(_ document: ConfigValue, origin: ConfigOrigin = .operatorConfig) throws(DNS01Error) -> RoutingTable {
        try RoutingTable.decode(document, registry: registry, source: ConfigSource(origin: origin))
    }

    func error(of document: ConfigValue) -> String? {
        do {
            _ = try decode(document)
            return nil
        } catch {
            return error.message
        }
    }

    func route(_ table: RoutingTable, _ domain: String) throws -> String {
        try table.route(for: DomainName(domain)).binding.path.description
    }

    @Test("a single wrapped provider serves every domain")
    func singleProvider() throws {
        let table = try decode(["memory": [:]])
        #expect(try route(table, "anything.example.org") == "memory")
    }

    @Test("a routing table routes by dnsNames, then the longest zone, then the fallback")
    func routingTable() throws {
        let table = try decode([
            "providers": [
                ["selector": ["dnsZones": ["example.com"]], "memory": [:]],
                [
                    "selector": ["dnsZones": ["example.cn", "shop.example.com"]],
                    "cloud": ["region": "cn-beijing", "secretRef": ["name": "s", "key": "k"]],
                ],
                ["selector": ["dnsNames": ["vip.shop.example.com"]], "memory": [:]],
                ["cloud": ["region": "eu-west-1", "secretRef": ["name": "s", "key": "k"]]],
            ]
        ])
        #expect(try route(table, "www.example.com") == "providers[0].memory")
        #expect(try route(table, "a.shop.example.com") == "providers[1].cloud")
        #expect(try route(table, "vip.shop.example.com") == "providers[2].memory")
        #expect(try route(table, "example.org") == "providers[3].cloud")
    }

    @Test("a table without fallback reports the domain nobody serves")
    func noProviderMatches() throws {
        let table = try decode(["providers": [["selector": ["dnsZones": ["example.com"]], "memory": [:]]]])
        #expect(throws: DNS01Error.self) { try table.route(for: DomainName("example.net")) }
        do {
            _ = try table.route(for: DomainName("example.net"))
        } catch {
            #expect(error.code == .noProviderMatches)
            #expect(error.message.hasPrefix("no provider matches example.net"))
        }
    }

    @Test(
        "every config error names its field path",
        arguments: [
            (ConfigValue.string("x"), "config must be an object naming a provider (cloud, memory) or a providers list, got a string"),
            ([:], "config must name one provider (cloud, memory)"),
            (["memory": [:], "cloud": [:]], "config names more than one provider (cloud, memory); use a providers list with selectors to route between them"),
            (["memroy": [:]], "config has an unknown field \"memroy\"; expected a provider (cloud, memory) or providers (did you mean \"memory\"?)"),
            (["providers": "x"], "providers must be a list, got a string"),
            (["providers": []], "providers must list at least one provider"),
            (["providers": ["x"]], "providers[0] must be an object, got a string"),
            (["providers": [["selector": ["dnsZones": ["example.com"]]]]], "providers[0] must name one provider (cloud, memory)"),
            (["providers": [["selector": ["dnsZone": ["example.com"]], "memory": [:]]]], "providers[0].selector has an unknown field \"dnsZone\" (did you mean \"dnsZones\"?)"),
            (["providers": [["selector": ["dnsZones": "example.com"], "memory": [:]]]], "providers[0].selector.dnsZones must be a list of strings, got a string"),
            (["providers": [["selector": ["dnsZones": [1]], "memory": [:]]]], "providers[0].selector.dnsZones[0] must be a string, got a number"),
            (["providers": [["selector": ["dnsZones": ["exa mple.com"]], "memory": [:]]]], "providers[0].selector.dnsZones[0] is not a valid DNS name: domain name \"exa mple.com\" contains the character \" \", which is not allowed in a DNS name"),
            (["providers": [["selector": ["dnsZones": ["*.example.com"]], "memory": [:]]]], "providers[0].selector.dnsZones[0] is not a valid DNS name: a zone cannot be a wildcard"),
            (["providers": [["selector": ["matchLabels": ["a": "b"]], "memory": [:]]]], "providers[0].selector.matchLabels is not supported: the webhook never sees Certificate labels; select by dnsNames or dnsZones"),
            (["providers": [["memory": [:]], ["cloud": ["region": "r", "secretRef": ["name": "s", "key": "k"]]]]], "providers[0] and providers[1] both have no selector; only one fallback entry is allowed"),
            (["providers": [["memory": ["zones": "x"]]]], "providers[0].memory.zones must be a list of strings, got a string"),
            (["providers": [["memory": ["latency": "soon"]]]], "providers[0].memory.latency must be a duration such as \"30s\", \"2m\" or \"1500ms\", got \"soon\""),
            (["providers": [["memory": ["latency": .number(1e30)]]]], "providers[0].memory.latency must be a duration of 0 to 1000000000 seconds, got 1e+30"),
            (["providers": [[:], ["cloud": ["region": "r"]]]], "providers[0] must name one provider (cloud, memory)"),
            (["providers": [["cloud": ["region": "r"]]]], "providers[0].cloud.secretRef is required"),
            (["providers": [["cloud": ["region": "r", "secretRef": ["name": "s"]]]]], "providers[0].cloud.secretRef.key is required"),
            (["providers": [["cloud": ["region": "r", "secretRef": ["name": "", "key": "k"]]]]], "providers[0].cloud.secretRef.name is required"),
            (["providers": [["cloud": ["region": 5, "secretRef": ["name": "s", "key": "k"]]]]], "providers[0].cloud.region must be a string, got a number"),
            (["providers": [["cloud": ["region": "r", "ttl": 5, "secretRef": ["name": "s", "key": "k"]]]]], "providers[0].cloud.ttl must be between 60 and 86400, got 5"),
            (["providers": [["cloud": ["region": "r", "ttl": .number(60.5), "secretRef": ["name": "s", "key": "k"]]]]], "providers[0].cloud.ttl must be a whole number, got a number"),
            (["providers": [["cloud": ["regoin": "r", "secretRef": ["name": "s", "key": "k"]]]]], "providers[0].cloud.region is required"),
            (["providers": [["cloud": ["region": "r", "secretRef": ["name": "s", "key": "k"], "extra": true]]]], "providers[0].cloud has an unknown field \"extra\" (known fields: region, secretRef, ttl, wait)"),
            (["cloud": ["region": "r", "secretRef": ["name": "s", "key": "k"], "wait": "yes"]], "cloud.wait must be true or false, got a string"),
            (["cloud": ["region": "r", "secretRef": ["nmae": "s", "key": "k"]]], "cloud.secretRef.name is required"),
        ] as [(ConfigValue, String)])
    func errors(document: ConfigValue, expected: String) {
        #expect(error(of: document) == expected)
    }

    @Test("an unknown field is reported even when required fields are present")
    func unknownAfterRequired() {
        #expect(
            error(of: ["cloud": ["region": "r", "secretRef": ["name": "s", "key": "k", "namespace": "other"]]])
                == "cloud.secretRef has an unknown field \"namespace\" (known fields: key, name)")
        #expect(
            error(of: ["cloud": ["region": "r", "secretRef": ["name": "s", "key": "k", "nmae": "other"]]])
                == "cloud.secretRef has an unknown field \"nmae\" (did you mean \"name\"?)")
    }

    @Test("a provider solver reads an operator's bare block as its own; other shapes pass through")
    func bareOperatorDocument() {
        let bare: ConfigValue = ["region": "r", "secretRef": ["name": "s", "key": "k"]]
        #expect(RoutingTable.document(bare, forSolver: "cloud", registry: registry) == ["cloud": bare])
        #expect(RoutingTable.document(["cloud": bare], forSolver: "cloud", registry: registry) == ["cloud": bare])
        #expect(RoutingTable.document(["providers": []], forSolver: "cloud", registry: registry) == ["providers": []])
        #expect(RoutingTable.document(bare, forSolver: "dispatch", registry: registry) == bare)
        #expect(RoutingTable.document([:], forSolver: "memory", registry: registry) == ["memory": [:]])
    }

    @Test("durations parse in Kubernetes style")
    func durations() {
        #expect(Duration(configText: "30s") == .seconds(30))
        #expect(Duration(configText: "1m30s") == .seconds(90))
        #expect(Duration(configText: "1500ms") == .milliseconds(1500))
        #expect(Duration(configText: "2") == .seconds(2))
        #expect(Duration(configText: "1h") == .seconds(3600))
        #expect(Duration(configText: "") == nil)
        #expect(Duration(configText: "5x") == nil)
        #expect(Duration(configText: "s") == nil)
        // Found by fuzz-config: huge, infinite and NaN values are refused, not trapped on.
        #expect(Duration(configText: "3033333333333333333333333333333333333333s") == nil)
        #expect(Duration(configText: "30333333333333333333333333333") == nil)
        #expect(Duration(configText: "inf") == nil)
        #expect(Duration(configText: "nan") == nil)
        #expect(Duration(configText: "-5") == nil)
        #expect(Duration(configText: "1000000000") == .seconds(1_000_000_000))
        #expect(Duration(configText: "0.0015s") == .milliseconds(2))
        #expect(Duration(configSeconds: 2.943477656455566e30) == nil)
        #expect(Duration(configSeconds: 1.5) == .milliseconds(1500))
    }
}

/// A plugin with required and typed fields, to exercise the config reader's errors.
struct FakeCloudPlugin: ProviderPlugin {
    struct Configuration: Sendable {
        var region: String
        var secret: SecretReference
        var ttl: Int
        var wait: Bool
    }
    static let descriptor = ProviderDescriptor.forTests("cloud")

    func decodeConfiguration(_ block: ConfigValue, at path: ConfigPath, source: ConfigSource) throws(DNS01Error) -> Configuration {
        var reader = try ConfigReader(block, at: path)
        let region = try reader.string("region")
        let secret = try reader.secretReference("secretRef")
        let ttl = try reader.optionalInt("ttl", in: 60...86400) ?? 600
        let wait = try reader.optionalBool("wait") ?? false
        try reader.finish()
        return Configuration(region: region, secret: secret, ttl: ttl, wait: wait)
    }

    func makeProvider(for configuration: Configuration, context: ProviderContext) async throws -> any DNSProvider {
        throw DNS01Error(.providerUnavailable, "fake")
    }
}
