import DNS01
import Logging
import MemoryProvider
import Synchronization
import TestSupport
import Testing

@Suite("ChallengeDispatcher")
struct DispatcherTests {
    let store = MemoryRecordStore()

    func dispatcher(default document: ConfigValue?) throws -> ChallengeDispatcher {
        var registry = ProviderRegistry()
        registry.register(MemoryPlugin(store: store))
        return try ChallengeDispatcher(
            registry: registry, defaultConfig: document, secrets: StaticSecretSource([:]),
            logger: Logger(label: "test"), environment: [:]
        )
    }

    func challenge(_ action: Challenge.Action, domain: String, key: String, config: ConfigValue? = nil) throws -> Challenge {
        let name = try DomainName(domain)
        return Challenge(
            action: action, dnsName: name, resolvedFQDN: try Challenge.recordName(for: name), key: key,
            resourceNamespace: "cert-manager", config: config)
    }

    @Test("present adds a value and keeps others; cleanup removes only its own; both are idempotent")
    func multiValueSemantics() async throws {
        let dispatcher = try dispatcher(default: ["memory": [:]])
        let fqdn = try DomainName("_acme-challenge.example.com")
        try await dispatcher.perform(challenge(.present, domain: "example.com", key: "apex"), solver: "dispatch")
        try await dispatcher.perform(challenge(.present, domain: "*.example.com", key: "wild"), solver: "dispatch")
        try await dispatcher.perform(challenge(.present, domain: "example.com", key: "apex"), solver: "dispatch")
        #expect(store.values(at: fqdn) == ["apex", "wild"])
        try await dispatcher.perform(challenge(.cleanUp, domain: "*.example.com", key: "wild"), solver: "dispatch")
        try await dispatcher.perform(challenge(.cleanUp, domain: "*.example.com", key: "wild"), solver: "dispatch")
        #expect(store.values(at: fqdn) == ["apex"])
    }

    @Test("dispatch without an Issuer config uses the operator's default table")
    func defaultTable() throws {
        let dispatcher = try dispatcher(default: ["providers": [["selector": ["dnsZones": ["example.com"]], "memory": [:]]]])
        let route = try dispatcher.route(challenge(.present, domain: "www.example.com", key: "k"), solver: "dispatch")
        #expect(route.origin == .operatorConfig)
        #expect(route.binding.path.description == "providers[0].memory")
        #expect(throws: DNS01Error.self) { try dispatcher.route(challenge(.present, domain: "example.org", key: "k"), solver: "dispatch") }
    }

    @Test("an Issuer config replaces the default and is marked as issuer config")
    func issuerConfig() throws {
        let dispatcher = try dispatcher(default: ["providers": [["selector": ["dnsZones": ["example.com"]], "memory": [:]]]])
        let route = try dispatcher.route(challenge(.present, domain: "example.org", key: "k", config: ["memory": [:]]), solver: "dispatch")
        #expect(route.origin == .issuerConfig)
    }

    @Test("a plugin solver accepts its block bare or wrapped")
    func pluginSolverShapes() throws {
        let dispatcher = try dispatcher(default: nil)
        let bare = try dispatcher.route(challenge(.present, domain: "a.org", key: "k", config: ["zones": ["a.org"]]), solver: "memory")
        let wrapped = try dispatcher.route(challenge(.present, domain: "a.org", key: "k", config: ["memory": ["zones": ["a.org"]]]), solver: "memory")
        #expect(bare.binding.pluginName == "memory")
        #expect(wrapped.binding.path.description == "memory")
        #expect(throws: DNS01Error.self) {
            try dispatcher.route(challenge(.present, domain: "a.org", key: "k", config: ["zone": ["a.org"]]), solver: "memory")
        }
    }

    @Test("an Issuer config is decoded once and reused; a different config and a bad one are not")
    func issuerConfigDecodedOnce() async throws {
        let counting = CountingPlugin()
        var registry = ProviderRegistry()
        registry.register(counting)
        let dispatcher = try ChallengeDispatcher(
            registry: registry, defaultConfig: nil, secrets: StaticSecretSource([:]), logger: Logger(label: "test"), environment: [:]
        )
        for _ in 0..<5 {
            _ = try dispatcher.route(challenge(.present, domain: "a.org", key: "k", config: ["counting": ["n": 1]]), solver: "dispatch")
            _ = try dispatcher.route(challenge(.present, domain: "a.org", key: "k", config: ["n": 1]), solver: "counting")
        }
        #expect(counting.decodes.withLock { $0 } == 2)
        _ = try dispatcher.route(challenge(.present, domain: "a.org", key: "k", config: ["n": 2]), solver: "counting")
        #expect(counting.decodes.withLock { $0 } == 3)
        for _ in 0..<3 {
            #expect(throws: DNS01Error.self) {
                try dispatcher.route(challenge(.present, domain: "a.org", key: "k", config: ["n": "bad"]), solver: "counting")
            }
        }
        #expect(counting.decodes.withLock { $0 } == 6)
    }

    @Test("an unknown solver lists what is served")
    func unknownSolver() throws {
        let dispatcher = try dispatcher(default: nil)
        #expect(throws: DNS01Error(.unknownSolver, "solver \"route66\" is not served; served solvers: dispatch, memory")) {
            try dispatcher.route(challenge(.present, domain: "a.org", key: "k"), solver: "route66")
        }
    }

    @Test("dispatch with no config anywhere says so")
    func noConfigAnywhere() throws {
        let dispatcher = try dispatcher(default: nil)
        #expect(throws: DNS01Error(.invalidConfiguration, "solver \"dispatch\" got no config and the server has no default config (--config)")) {
            try dispatcher.route(challenge(.present, domain: "a.org", key: "k"), solver: "dispatch")
        }
    }

    @Test("an empty default config means no default table")
    func emptyDefault() throws {
        let dispatcher = try dispatcher(default: [:])
        #expect(dispatcher.defaultTable == nil)
        #expect(throws: DNS01Error.self) { try dispatcher.route(challenge(.present, domain: "a.org", key: "k"), solver: "dispatch") }
    }

    @Test("a bad default config stops start-up")
    func badDefault() {
        #expect(throws: DNS01Error.self) { try dispatcher(default: ["memory": ["nope": 1]]) }
    }

    @Test("an empty key is refused before any provider is called")
    func emptyKey() async throws {
        let dispatcher = try dispatcher(default: ["memory": [:]])
        await #expect(throws: DNS01Error(.invalidChallenge, "challenge key is empty")) {
            try await dispatcher.perform(challenge(.present, domain: "a.org", key: ""), solver: "dispatch")
        }
        #expect(store.names.isEmpty)
    }
}

@Suite("Secrets")
struct SecretValueTests {
    @Test("secret values never print")
    func redaction() {
        let value = SecretValue("hunter2")
        #expect("\(value)" == "<redacted>")
        #expect(String(reflecting: value) == "<redacted>")
        var dumped = ""
        dump(value, to: &dumped)
        #expect(!dumped.contains("hunter2"))
        #expect(value.text == "hunter2")
        #expect(SecretValue("  key\n").text == "key")
    }

    @Test("a missing secret or key is named, with namespace and available keys")
    func missing() async {
        let source = StaticSecretSource([.init(namespace: "ns", name: "creds"): ["a": SecretValue("x"), "b": SecretValue("y")]])
        await #expect(throws: DNS01Error(.secretNotFound, "secret \"other\" not found in namespace \"ns\" (in-memory secrets)")) {
            try await source.secretValue(namespace: "ns", name: "other", key: "a")
        }
        await #expect(throws: DNS01Error(.secretNotFound, "secret ns/creds has no key \"c\" (it has: a, b)")) {
            try await source.secretValue(namespace: "ns", name: "creds", key: "c")
        }
        await #expect(throws: DNS01Error(.secretNotFound, "secret \"creds\" not found in namespace \"elsewhere\" (in-memory secrets)")) {
            try await source.secretValue(namespace: "elsewhere", name: "creds", key: "a")
        }
    }
}

/// A plugin that counts how often its config is decoded; `n` must be a number.
private final class CountingPlugin: ProviderPlugin, Sendable {
    let decodes = Mutex(0)
    static let descriptor = ProviderDescriptor.forTests("counting")

    func decodeConfiguration(_ block: ConfigValue, at path: ConfigPath, source: ConfigSource) throws(DNS01Error) -> Double {
        decodes.withLock { $0 += 1 }
        guard case .number(let n)? = block["n"] else { throw DNS01Error(.invalidConfiguration, "\(path).n must be a number") }
        return n
    }

    func makeProvider(for configuration: Double, context: ProviderContext) async throws -> any DNSProvider {
        throw DNS01Error(.invalidConfiguration, "not used")
    }
}
