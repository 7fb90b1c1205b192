import Foundation
import TestSupport
import Testing

/// The built `dns01-webhook` binary, run as a user would run it.
@Suite("dns01-webhook CLI", .serialized)
struct CLITests {
    let directory: String
    let config: String
    let secrets: String

    init() throws {
        directory = try makeTemporaryDirectory("cli")
        config = "\(directory)/config.yaml"
        secrets = "\(directory)/secrets.yaml"
        try """
        providers:
          - selector: {dnsZones: [example.com]}
            memory:
              apiTokenSecretRef: {name: memory-token, key: token}
          - selector: {dnsNames: [locked.example.org]}
            memory:
              apiTokenSecretRef: {name: missing-secret, key: token}
          - memory: {zones: [fallback.test]}
        """.write(toFile: config, atomically: true, encoding: .utf8)
        try """
        apiVersion: v1
        kind: Secret
        metadata: {name: memory-token, namespace: cert-manager}
        data: {token: c2VjcmV0LXRva2Vu}
        """.write(toFile: secrets, atomically: true, encoding: .utf8)
    }

    /// Run with no cluster configured: the user's own kubeconfig never leaks in.
    func run(_ arguments: [String]) async throws -> CommandResult {
        try await runCommand(webhookBinary, arguments, environment: ["HOME": directory, "KUBECONFIG": ""])
    }

    @Test("check passes Basic and Extended against the memory provider, with config and secrets files")
    func checkPasses() async throws {
        let result = try await run([
            "check", "--config", config, "--secrets", secrets, "--namespace", "cert-manager",
            "--domain", "www.example.com", "--poll-interval", "0.05", "--timeout", "5",
        ])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        let steps = lines.filter { $0.hasPrefix("PASS") || $0.hasPrefix("FAIL") }
        #expect(steps.count == 13)
        #expect(steps.allSatisfy { $0.hasPrefix("PASS") })
        #expect(lines.contains { $0.contains("providers[0].memory (dnsZones example.com") })
        #expect(lines.contains { $0.hasPrefix("PASS  extended: key B gone, key A kept") })
        #expect(lines.last == "check passed")
        #expect(!result.stdout.contains("secret-token"))
    }

    @Test("check fails, exit 1, when the Secret is in another namespace, and says which")
    func checkFailsOnSecretNamespace() async throws {
        let result = try await run([
            "check", "--config", config, "--secrets", secrets, "--namespace", "default",
            "--domain", "www.example.com", "--poll-interval", "0.05", "--timeout", "1",
        ])
        #expect(result.status == 1)
        #expect(result.stdout.contains("FAIL  basic: present key A"))
        #expect(result.stdout.contains("secret \"memory-token\" not found in namespace \"default\""))
        #expect(result.stdout.hasSuffix("check FAILED\n"))
    }

    @Test("check fails when the provider refuses the zone, and leaves nothing behind")
    func checkFailsOnZone() async throws {
        let result = try await run([
            "check", "--config", config, "--domain", "www.elsewhere.net", "--basic-only",
            "--poll-interval", "0.05", "--timeout", "1",
        ])
        #expect(result.status == 1)
        #expect(result.stdout.contains("not found in the memory provider (zones: fallback.test)"))
    }

    @Test("with --nameserver, visibility must also hold in DNS: records only in memory fail the check")
    func checkConsultsDNS() async throws {
        let knot = try await KnotServer.start(zones: ["example.com": "www IN A 127.0.0.1"])
        defer { knot.stop() }
        let result = try await run([
            "check", "--config", config, "--secrets", secrets, "--namespace", "cert-manager",
            "--domain", "www.example.com", "--nameserver", knot.address,
            "--poll-interval", "0.1", "--timeout", "0.5",
        ])
        #expect(result.status == 1)
        #expect(result.stdout.contains("FAIL  basic: key A visible"))
        #expect(result.stdout.contains("provider has A; DNS says NXDOMAIN"))
        // The key it presented is cleaned up even though the check failed.
        #expect(result.stdout.contains("PASS  clean up after failure"))
    }

    @Test("present and cleanup do one step each and exit 0")
    func presentAndCleanUp() async throws {
        for command in ["present", "cleanup"] {
            let result = try await run([
                command, "--config", config, "--secrets", secrets, "--namespace", "cert-manager",
                "--fqdn", "_acme-challenge.www.example.com.", "--key", "k1",
            ])
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout.contains("_acme-challenge.www.example.com. via providers[0].memory"))
        }
    }

    @Test(
        "errors are one line on stderr with a non-zero exit",
        arguments: [
            (
                ["present", "--config", "/nonexistent.yaml", "--fqdn", "_acme-challenge.a.org", "--key", "k"],
                "error: cannot read /nonexistent.yaml: no such file or not readable"
            ),
            (
                ["present", "--config", "CONFIG", "--fqdn", "_acme-challenge.locked.example.org", "--key", "k", "--secrets", "SECRETS"],
                "error: secret \"missing-secret\" not found in namespace \"default\" (read from SECRETS)"
            ),
            (
                ["present", "--config", "CONFIG", "--fqdn", "_acme-challenge.a.org", "--key", "k", "--solver", "nope"],
                "error: solver \"nope\" is not served; served solvers: dispatch, " + servedProviders
            ),
            (
                ["present", "--config", "CONFIG", "--fqdn", "_acme-challenge.www.example.com", "--key", "k"],
                "error: cannot read secret default/memory-token: no --secrets file was given, and no cluster is configured (no --kubeconfig, KUBECONFIG or ~/.kube/config)"
            ),
        ])
    func oneLineErrors(arguments: [String], expected: String) async throws {
        let arguments = arguments.map { $0 == "CONFIG" ? config : $0 == "SECRETS" ? secrets : $0 }
        let result = try await run(arguments)
        #expect(result.status == 1)
        #expect(result.stderr == expected.replacingOccurrences(of: "SECRETS", with: secrets) + "\n")
    }

    @Test("a config with a misspelt field fails before any step, naming the path")
    func badConfig() async throws {
        let bad = "\(directory)/bad.yaml"
        try "providers:\n  - memory: {zone: [a.org]}\n".write(toFile: bad, atomically: true, encoding: .utf8)
        let result = try await run(["check", "--config", bad, "--domain", "a.org"])
        #expect(result.status == 1)
        #expect(result.stderr == "error: providers[0].memory has an unknown field \"zone\" (did you mean \"zones\"?)\n")
    }

    @Test("with --solver NAME the config file may hold NAME's block bare")
    func bareBlockForProviderSolver() async throws {
        let bare = "\(directory)/bare.yaml"
        try "zones: [example.com]\n".write(toFile: bare, atomically: true, encoding: .utf8)
        let passing = try await run([
            "check", "--config", bare, "--solver", "memory", "--domain", "www.example.com",
            "--poll-interval", "0.05", "--timeout", "2", "--basic-only",
        ])
        #expect(passing.status == 0, "\(passing.stdout)\(passing.stderr)")
        let refused = try await run([
            "check", "--config", bare, "--solver", "memory", "--domain", "www.example.net",
            "--poll-interval", "0.05", "--timeout", "1", "--basic-only",
        ])
        #expect(refused.status == 1)
        #expect(refused.stdout.contains("(zones: example.com)"))
    }

    @Test("version prints the version")
    func version() async throws {
        let result = try await run(["version"])
        #expect(result.status == 0)
        #expect(result.stdout.hasPrefix("dns01-webhook 0."))
    }

    @Test("present --timeout bounds the provider's requests: an endpoint that accepts and never answers fails with the budget named, long before the provider's own limit")
    func presentTimeoutBoundsTheProvider() async throws {
        // A listening socket nobody accepts from: the kernel completes the handshake, then
        // nothing ever answers (a black hole).
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        try #require(listener >= 0)
        defer { close(listener) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, length) } }
        try #require(bound == 0 && listen(listener, 16) == 0)
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) } }
        let port = UInt16(bigEndian: address.sin_port)
        let hookConfig = "\(directory)/black-hole.yaml"
        try "http:\n  endpoint: http://127.0.0.1:\(port)\n".write(toFile: hookConfig, atomically: true, encoding: .utf8)

        let clock = ContinuousClock()
        let started = clock.now
        let result = try await run(["present", "--config", hookConfig, "--solver", "http", "--fqdn", "_acme-challenge.www.example.com.", "--key", "k", "--timeout", "2"])
        let took = clock.now - started
        #expect(result.status != 0)
        #expect(result.stderr.contains("time budget of 2s"), "\(result.stderr)")
        // The provider's own request timeout is 30 s: the step ended at the budget instead.
        #expect(took < .seconds(25), "\(took)")
        let refused = try await run(["present", "--config", hookConfig, "--solver", "http", "--fqdn", "x.", "--key", "k", "--timeout", "0"])
        #expect(refused.stderr.contains("--timeout must be between 0 and 3600 seconds"), "\(refused.stderr)")
    }
}

/// The provider solvers the binary serves, as its error lists them: the names of the generated
/// provider pages (docs/providers/<name>.md), sorted.
let servedProviders: String = {
    let pages = (try? FileManager.default.contentsOfDirectory(atPath: "\(repositoryRoot)/docs/providers")) ?? []
    return pages.filter { $0.hasSuffix(".md") && $0 != "README.md" }.map { String($0.dropLast(3)) }.sorted().joined(separator: ", ")
}()
