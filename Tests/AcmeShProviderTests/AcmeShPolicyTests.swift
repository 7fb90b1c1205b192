import AcmeShProvider
import DNS01
import Foundation
import Logging
import TestSupport
import Testing

/// A script is code: an Issuer's config naming one is refused before any Secret is read or
/// anything runs, unless the operator lists the script's path in issuerPolicy.allowedPrograms.
@Suite("acmesh is operator-only")
struct AcmeShPolicyTests {
    func dispatcher(_ document: ConfigValue?) throws -> ChallengeDispatcher {
        var registry = ProviderRegistry()
        registry.register(AcmeShFixture.plugin())
        return try ChallengeDispatcher(
            registry: registry, defaultConfig: document, secrets: AcmeShFixture.secrets(), logger: AcmeShFixture.logger,
            environment: ["PATH": "/usr/bin:/bin"])
    }

    func challenge(_ config: ConfigValue?) throws -> Challenge {
        let name = try DomainName("www.example.com")
        return Challenge(
            action: .present, dnsName: name, resolvedFQDN: try Challenge.recordName(for: name), key: "k", resourceNamespace: AcmeShFixture.namespace,
            config: config)
    }

    @Test("an Issuer's acmesh block is refused with forbiddenByPolicy and the script never runs, even when the operator uses acmesh")
    func issuerRefused() async throws {
        let directory = try makeTemporaryDirectory("acmesh-policy")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let block = AcmeShFixture.stateBlock(directory)
        let dispatcher = try dispatcher(["acmesh": block])
        for (solver, config) in [("dispatch", ["acmesh": block] as ConfigValue), ("acmesh", block)] {
            let error = await #expect(throws: DNS01Error.self) { try await dispatcher.perform(challenge(config), solver: solver) }
            #expect(error?.code == .forbiddenByPolicy)
            #expect(error?.message.hasPrefix("acmesh.script \"\(AcmeShFixture.scriptsDirectory)/dns_teststate.sh\" is not allowed in an Issuer's config") == true)
        }
        #expect(!FileManager.default.fileExists(atPath: "\(directory)/probe"), "the script ran")
        // The operator's own table runs it for an Issuer that brings no config.
        try await dispatcher.perform(challenge(nil), solver: "acmesh")
        #expect(FileManager.default.fileExists(atPath: "\(directory)/probe"))
    }

    @Test("a script the operator lists in issuerPolicy.allowedPrograms runs for an Issuer")
    func allowed() async throws {
        let directory = try makeTemporaryDirectory("acmesh-policy-allowed")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let dispatcher = try dispatcher(["issuerPolicy": ["allowedPrograms": [.string("\(AcmeShFixture.scriptsDirectory)/dns_teststate.sh")]]])
        try await dispatcher.perform(challenge(["acmesh": AcmeShFixture.stateBlock(directory)]), solver: "dispatch")
        #expect(AcmeShFixture.lines("\(directory)/records").count == 1)
    }
}
