import DNS01
import ExecProvider
import Logging
import Testing

/// `exec` from an Issuer is refused before anything runs; from the operator's config it runs.
@Suite("exec is operator-only")
struct ExecPolicyTests {
    func dispatcher(default document: ConfigValue?) throws -> ChallengeDispatcher {
        var registry = ProviderRegistry()
        registry.register(ExecPlugin())
        return try ChallengeDispatcher(
            registry: registry, defaultConfig: document, secrets: StaticSecretSource([:]),
            logger: Logger(label: "test"), environment: ["PATH": "/usr/bin:/bin"]
        )
    }

    func challenge(_ config: ConfigValue?) throws -> Challenge {
        let name = try DomainName("www.example.com")
        return Challenge(
            action: .present, dnsName: name, resolvedFQDN: try Challenge.recordName(for: name), key: "k",
            resourceNamespace: "tenant", config: config)
    }

    static let refusal =
        " is not allowed in an Issuer's config: a program named by an Issuer would run in the webhook's pod; the operator can allow it by listing it under issuerPolicy.allowedPrograms in the webhook's own config (serve --config), or move this block there"

    @Test(
        "an Issuer config naming exec is refused with forbiddenByPolicy and the program never runs",
        arguments: [
            ("dispatch", "wrapped", "exec: "),
            ("dispatch", "table", "providers[0].exec: "),
            ("exec", "bare", "exec: "),
            ("exec", "wrapped", "exec: "),
        ])
    func issuerRefused(solver: String, shape: String, location: String) async throws {
        let script = try ExecScript()
        defer { script.remove() }
        let block: ConfigValue = ["command": .string(script.path)]
        let config: ConfigValue =
            switch shape {
            case "bare": block
            case "table": ["providers": [["exec": block]]]
            default: ["exec": block]
            }
        // The operator's own default table also uses exec: that must not make an Issuer's allowed.
        let dispatcher = try dispatcher(default: ["exec": ["command": .string(script.path)]])
        let error = await #expect(throws: DNS01Error.self) { try await dispatcher.perform(challenge(config), solver: solver) }
        #expect(error?.code == .forbiddenByPolicy)
        #expect(error?.message == "\(location.dropLast(2)).command \"\(script.path)\"" + Self.refusal)
        #expect(!script.hasRun)
    }

    @Test("a program the operator lists in issuerPolicy.allowedPrograms may be named by an Issuer; another may not")
    func allowedPrograms() async throws {
        let script = try ExecScript()
        defer { script.remove() }
        let dispatcher = try dispatcher(default: ["issuerPolicy": ["allowedPrograms": [.string(script.path)]]])
        try await dispatcher.perform(challenge(["exec": ["command": .string(script.path)]]), solver: "dispatch")
        #expect(script.recordLines == ["_acme-challenge.www.example.com. k"])
        let error = await #expect(throws: DNS01Error.self) { try await dispatcher.perform(challenge(["exec": ["command": "/bin/sh"]]), solver: "dispatch") }
        #expect(error?.code == .forbiddenByPolicy)
    }

    @Test("the operator's default config runs exec for Issuers that bring no config")
    func operatorAllowed() async throws {
        let script = try ExecScript()
        defer { script.remove() }
        let dispatcher = try dispatcher(default: ["exec": ["command": .string(script.path)]])
        let route = try await dispatcher.perform(challenge(nil), solver: "dispatch")
        #expect(route.origin == .operatorConfig)
        #expect(script.recordLines == ["_acme-challenge.www.example.com. k"])
        try await dispatcher.perform(challenge(nil), solver: "exec")
        #expect(script.recordLines == ["_acme-challenge.www.example.com. k"])
    }
}
