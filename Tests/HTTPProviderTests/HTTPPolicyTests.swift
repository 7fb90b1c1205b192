import DNS01
import HTTPProvider
import Logging
import Testing

/// An Issuer may name an http endpoint only under the operator's issuerPolicy.allowedEndpoints,
/// carried from the operator's config through the dispatcher.
@Suite("http endpoints from Issuers", .serialized)
struct HTTPPolicyTests {
    func dispatcher(default document: ConfigValue?) throws -> ChallengeDispatcher {
        var registry = ProviderRegistry()
        registry.register(HTTPPlugin())
        return try ChallengeDispatcher(
            registry: registry, defaultConfig: document, secrets: HookTest.secrets,
            logger: Logger(label: "test"), environment: [:]
        )
    }

    func challenge(_ config: ConfigValue?) throws -> Challenge {
        var challenge = try HookTest.challenge(.present, "key-A")
        challenge.config = config
        return challenge
    }

    @Test("an endpoint under an allowed prefix is used; others are refused before any request", arguments: ["dispatch", "http"])
    func allowList(solver: String) async throws {
        let hook = try await HookPeer()
        defer { hook.stop() }
        // Only the policy, no default table: every Issuer brings its own config.
        let dispatcher = try dispatcher(default: ["issuerPolicy": ["allowedEndpoints": .array([.string(hook.base + "/tenants/")])]])
        #expect(dispatcher.defaultTable == nil)

        let allowed: ConfigValue = ["http": ["endpoint": .string(hook.base + "/tenants/team-a")]]
        let route = try await dispatcher.perform(challenge(allowed), solver: solver)
        #expect(route.origin == .issuerConfig)
        #expect(try await hook.state().posts.map(\.path) == ["/tenants/team-a/present"])

        for endpoint in [hook.base + "/admin", hook.base + "/tenants/../admin", "http://127.0.0.1:1/tenants/"] {
            let refused: ConfigValue = ["http": ["endpoint": .string(endpoint)]]
            let error = await #expect(throws: DNS01Error.self) { try await dispatcher.perform(challenge(refused), solver: solver) }
            #expect(error?.code == .forbiddenByPolicy)
            let shown = endpoint.hasSuffix("/") ? String(endpoint.dropLast()) : endpoint
            #expect(error?.message.contains("\"\(shown)\" is not allowed in an Issuer's config: this provider has no official API host, and the operator's issuerPolicy.allowedEndpoints does not list it") == true, "\(String(describing: error))")
        }
        #expect(try await hook.state().posts.count == 1)
    }

    @Test("without an issuerPolicy, no Issuer endpoint is allowed, while the operator's own config may name any")
    func denyByDefault() async throws {
        let hook = try await HookPeer()
        defer { hook.stop() }
        let dispatcher = try dispatcher(default: ["http": ["endpoint": .string(hook.base + "/operator")]])
        let error = await #expect(throws: DNS01Error.self) {
            try await dispatcher.perform(challenge(["http": ["endpoint": .string(hook.base + "/operator")]]), solver: "dispatch")
        }
        #expect(
            error?.message
                == "http.endpoint \"\(hook.base)/operator\" is not allowed in an Issuer's config: this provider has no official API host, and the operator's issuerPolicy.allowedEndpoints does not list it; the operator can allow it by adding a prefix of it to issuerPolicy.allowedEndpoints in the webhook's own config (serve --config), or move this block there"
        )
        try await dispatcher.perform(challenge(nil), solver: "dispatch")
        #expect(try await hook.state().posts.map(\.path) == ["/operator/present"])
    }

    @Test("an Issuer cannot bring its own issuerPolicy")
    func issuerCannotGrantItself() async throws {
        let dispatcher = try dispatcher(default: nil)
        let config: ConfigValue = ["issuerPolicy": ["allowedEndpoints": ["http://127.0.0.1:9/"]], "http": ["endpoint": "http://127.0.0.1:9/"]]
        await #expect(throws: DNS01Error(.forbiddenByPolicy, "issuerPolicy is read from the operator's own config (serve --config) only, never from an Issuer")) {
            try await dispatcher.perform(challenge(config), solver: "dispatch")
        }
    }
}
