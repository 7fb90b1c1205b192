import AcmeShProvider
import DNS01
import DNSClient
import Foundation
import TestSupport
import Testing

/// `dns_testknot.sh` (knsupdate with a TSIG key from a variable) against a real Knot: the
/// contract suite through the bridge, and the CLI's `check --solver acmesh --nameserver`, whose
/// Extended step is how a user learns whether a script keeps two values at one name.
@Suite("acmesh against Knot through an nsupdate-driven script", .serialized)
struct AcmeShKnotTests {
    static let secret = "h2eqLHv9h9Ccm8yfC2YdxGpXaZQ0k2VwJQ2+aq4W5Ps="
    static let wrongSecret = "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo0NTY3OA=="

    static func knot() async throws -> KnotServer {
        try await KnotServer.start(
            zones: ["example.com": "_acme-challenge.www IN TXT \"unrelated\"\nwww IN A 127.0.0.1"],
            updateKey: KnotServer.TSIGKey(name: "acme-update", algorithm: "hmac-sha256", secretBase64: secret))
    }

    static func block(_ knot: KnotServer, key: String = "tsig", replaceSet: Bool = false) -> ConfigValue {
        var env: [String: ConfigValue] = [
            "KNOT_Server": "127.0.0.1",
            "KNOT_Zone": "example.com",
            "KNOT_Port": .string(String(knot.port)),
            "KNOT_TSIG": ["secretKeyRef": ["name": "knot", "key": .string(key)]],
        ]
        if replaceSet { env["KNOT_ReplaceSet"] = "1" }
        return ["script": "dns_testknot", "scriptsDir": .string(AcmeShFixture.scriptsDirectory), "env": .object(env), "timeout": "20s"]
    }

    static let secrets = AcmeShFixture.secrets(["knot": ["tsig": "hmac-sha256:acme-update:\(secret)", "wrong": "hmac-sha256:acme-update:\(wrongSecret)"]])

    static func dnsValues(_ knot: KnotServer, _ name: DomainName) async throws -> [String] {
        try await DNSExchange(hostAndPort: knot.address).txtLookup(name.fqdn).values
    }

    @Test(arguments: ProviderContract.allCases)
    func contract(_ contract: ProviderContract) async throws {
        let knot = try await Self.knot()
        defer { knot.stop() }
        var registry = ProviderRegistry()
        registry.register(AcmeShFixture.plugin())
        let subject = ProviderContractSubject(
            solver: "acmesh",
            registry: registry,
            config: Self.block(knot),
            wrongCredentialsConfig: Self.block(knot, key: "wrong"),
            wrongCredentialsHints: ["refused the update"],
            secrets: Self.secrets,
            secretStrings: [Self.secret, Self.wrongSecret],
            namespace: AcmeShFixture.namespace,
            zone: try DomainName("example.com"),
            independentRead: { name in try await Self.dnsValues(knot, name) },
            readsBackThroughProvider: false,
            seedForeignValue: { name, value in
                let update = "server 127.0.0.1 \(knot.port)\nzone example.com.\nupdate add \(name.fqdn) 60 IN TXT \"\(value)\"\nsend\n"
                let file = try makeTemporaryDirectory("knot-seed") + "/key"
                try "hmac-sha256:acme-update:\(Self.secret)\n".write(toFile: file, atomically: true, encoding: .utf8)
                let input = file + ".in"
                try update.write(toFile: input, atomically: true, encoding: .utf8)
                let result = try await runCommand("/bin/sh", ["-c", "knsupdate -k \"$0\" < \"$1\"", file, input])
                guard result.status == 0 else { throw ProviderContract.Violation("seeding failed: \(result.stderr)") }
            }
        )
        try await contract.verifyOrSkip(subject)
    }

    static func writeFiles(_ directory: String, _ knot: KnotServer, replaceSet: Bool, removeAll: Bool = false) throws {
        try """
        acmesh:
          script: dns_testknot
          scriptsDir: \(AcmeShFixture.scriptsDirectory)
          env:
            KNOT_Server: "127.0.0.1"
            KNOT_Zone: example.com
            KNOT_Port: "\(knot.port)"
            KNOT_TSIG: {secretKeyRef: {name: knot, key: tsig}}
        \(replaceSet ? "    KNOT_ReplaceSet: \"1\"" : "")
        \(removeAll ? "    KNOT_RemoveAll: \"1\"" : "")
        """.write(toFile: "\(directory)/config.yaml", atomically: true, encoding: .utf8)
        try """
        apiVersion: v1
        kind: Secret
        metadata: {name: knot, namespace: cert-manager}
        stringData: {tsig: "hmac-sha256:acme-update:\(secret)"}
        """.write(toFile: "\(directory)/secrets.yaml", atomically: true, encoding: .utf8)
    }

    /// `timeout`: how long check waits for what it expects (short where it must fail).
    func check(_ directory: String, _ knot: KnotServer, timeout: String = "10") async throws -> CommandResult {
        try await runCommand(
            webhookBinary,
            [
                "check", "--config", "\(directory)/config.yaml", "--secrets", "\(directory)/secrets.yaml", "--solver", "acmesh",
                "--namespace", "cert-manager", "--domain", "www.example.com", "--nameserver", knot.address,
                "--poll-interval", "0.1", "--timeout", timeout,
            ],
            environment: ["DNS01_STATE_DIR": "\(directory)/state"])
    }

    @Test("check --solver acmesh --nameserver passes Extended with a script that adds single values, and says so")
    func checkKeepsBoth() async throws {
        let knot = try await Self.knot()
        defer { knot.stop() }
        let directory = try makeTemporaryDirectory("acmesh-check")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try Self.writeFiles(directory, knot, replaceSet: false)
        let result = try await check(directory, knot)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("extended: keys A and B visible"))
        #expect(result.stdout.contains("the program or script keeps both values"), "\(result.stdout)")
        #expect(!result.stdout.contains(Self.secret) && !result.stderr.contains(Self.secret))
        #expect(try await Self.dnsValues(knot, DomainName("_acme-challenge.www.example.com")) == ["unrelated"])
        #expect(((try? FileManager.default.contentsOfDirectory(atPath: "\(directory)/state")) ?? []).isEmpty, "state left behind")
    }

    @Test("check's Extended step tells the user when a script replaces the whole record set")
    func checkReplacesSet() async throws {
        let knot = try await Self.knot()
        defer { knot.stop() }
        let directory = try makeTemporaryDirectory("acmesh-check-replace")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try Self.writeFiles(directory, knot, replaceSet: true)
        let result = try await check(directory, knot, timeout: "2")
        #expect(result.status != 0)
        let failed = result.stdout.split(separator: "\n").first { $0.hasPrefix("FAIL") }.map(String.init) ?? ""
        #expect(failed.contains("extended: keys A and B visible"), "\(result.stdout)")
        #expect(
            failed.contains(
                "only one of two values at the name stayed: this program or script replaces the whole TXT record set on add, so the apex and the wildcard name of one certificate cannot be validated at the same time"
            ), "\(failed)")
    }

    @Test("check's Extended step tells the user when a script removes every value at the name")
    func checkRemovesAll() async throws {
        let knot = try await Self.knot()
        defer { knot.stop() }
        let directory = try makeTemporaryDirectory("acmesh-check-remove-all")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try Self.writeFiles(directory, knot, replaceSet: false, removeAll: true)
        let result = try await check(directory, knot, timeout: "2")
        #expect(result.status != 0)
        let failed = result.stdout.split(separator: "\n").first { $0.hasPrefix("FAIL") }.map(String.init) ?? ""
        #expect(failed.contains("extended: key B gone, key A kept"), "\(result.stdout)")
        #expect(
            failed.contains(
                "cleaning up one value also removed the other: this program or script deletes every TXT record at the name"
            ), "\(failed)")
    }

    @Test("present and cleanup are two processes: cleanup finds what present saved in the state directory")
    func cliRestart() async throws {
        let directory = try makeTemporaryDirectory("acmesh-cli")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try """
        acmesh:
          script: dns_teststate
          scriptsDir: \(AcmeShFixture.scriptsDirectory)
          env:
            STATE_RECORDS: \(directory)/records
            STATE_Token: {secretKeyRef: {name: state, key: token}}
        """.write(toFile: "\(directory)/config.yaml", atomically: true, encoding: .utf8)
        try """
        apiVersion: v1
        kind: Secret
        metadata: {name: state, namespace: cert-manager}
        stringData: {token: state-secret-token}
        """.write(toFile: "\(directory)/secrets.yaml", atomically: true, encoding: .utf8)
        func run(_ command: String, state: String) async throws -> CommandResult {
            try await runCommand(
                webhookBinary,
                [
                    command, "--config", "\(directory)/config.yaml", "--secrets", "\(directory)/secrets.yaml", "--namespace", "cert-manager",
                    "--fqdn", "_acme-challenge.www.example.com.", "--key", "cli-value",
                ],
                environment: ["DNS01_STATE_DIR": state])
        }
        let present = try await run("present", state: "\(directory)/state")
        #expect(present.status == 0, "\(present.stderr)")
        #expect(AcmeShFixture.lines("\(directory)/records").count == 1)
        let lost = try await run("cleanup", state: "\(directory)/other-state")
        #expect(lost.status != 0)
        #expect(lost.stderr.contains("the state of add is lost"), "\(lost.stderr)")
        let cleanup = try await run("cleanup", state: "\(directory)/state")
        #expect(cleanup.status == 0, "\(cleanup.stderr)")
        #expect(AcmeShFixture.lines("\(directory)/records").isEmpty)
    }
}
