import AcmeShProvider
import DNS01
import Foundation
import TestSupport
import Testing
import WebhookSetup

/// One step = one fresh `sh` running the runner, the shim and the script: isolation, state,
/// messages, timeouts.
@Suite("acmesh: running a script")
struct AcmeShRunTests {
    @Test("the script sees PATH, a private HOME, its variables and the shim's, and nothing else of the pod's environment")
    func isolation() async throws {
        let directory = try makeTemporaryDirectory("acmesh-isolation")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let provider = try await AcmeShFixture.provider(AcmeShFixture.stateBlock(directory))
        try await provider.present(AcmeShFixture.challenge(.present, key: "value-1"))
        let probe = AcmeShFixture.lines("\(directory)/probe")
        let variables = Set(probe.filter { $0.hasPrefix("VAR ") }.map { String($0.dropFirst(4)) })
        for leaked in ["KUBERNETES_SERVICE_HOST", "POD_LIKE_SECRET", "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_SECRET_ACCESS_KEY"] {
            #expect(!variables.contains(leaked), "\(leaked) reached the script")
        }
        #expect(!probe.joined().contains("pod-environment-must-not-leak"))
        #expect(!probe.joined().contains("/var/run/secrets"))
        for expected in ["PATH", "HOME", "STATE_RECORDS", "STATE_Token", "STATE_PROBE", "HTTP_HEADER", "ACCOUNT_CONF_PATH", "DOMAIN_CONF"] {
            #expect(variables.contains(expected), "\(expected) is missing")
        }
        // Only the configured variables, the shim's own and the shell's: a short, known list.
        let allowed: Set<String> = [
            "PATH", "HOME", "TMPDIR", "PWD", "SHLVL", "OLDPWD", "_", "STATE_RECORDS", "STATE_Token", "STATE_PROBE", "NO_TIMESTAMP",
        ]
        let unexpected = variables.filter { !allowed.contains($0) && !$0.hasPrefix("DNS01_") && !["HTTP_HEADER", "ACCOUNT_CONF_PATH", "DOMAIN_CONF", "USER_AGENT", "_H1", "_H2", "_H3", "_H4", "_H5"].contains($0) }
        #expect(unexpected.isEmpty, "unexpected variables: \(unexpected.sorted())")
        let home = try #require(probe.first { $0.hasPrefix("HOME=") }?.dropFirst(5))
        #expect(home.contains("dns01-acmesh."), "HOME is \(home), not a private directory")
        #expect(!FileManager.default.fileExists(atPath: String(home)), "the private directory outlived the step")
    }

    @Test("what add saves is there for rm after a restart: a new plugin, the same state directory")
    func stateSurvivesRestart() async throws {
        let directory = try makeTemporaryDirectory("acmesh-restart")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = LocalStateStore(directory: "\(directory)/state")
        let first = try await AcmeShFixture.provider(AcmeShFixture.stateBlock(directory), plugin: AcmeShFixture.plugin(), state: store)
        try await first.present(AcmeShFixture.challenge(.present, key: "apex-value"))
        try await first.present(AcmeShFixture.challenge(.present, key: "wildcard-value"))
        #expect(AcmeShFixture.lines("\(directory)/records").count == 2)
        let entries = try FileManager.default.contentsOfDirectory(atPath: "\(directory)/state")
        #expect(entries.count == 1 && entries[0].hasPrefix("dns01-acmesh-"))

        // A new process: nothing in memory, only the directory.
        let second = try await AcmeShFixture.provider(AcmeShFixture.stateBlock(directory), plugin: AcmeShFixture.plugin(), state: LocalStateStore(directory: "\(directory)/state"))
        try await second.cleanUp(AcmeShFixture.challenge(.cleanUp, key: "apex-value"))
        #expect(AcmeShFixture.lines("\(directory)/records").map { $0.split(separator: " ")[1] } == ["wildcard-value"])
        // The entry stays while a value is still presented, and goes with the last one.
        #expect(try FileManager.default.contentsOfDirectory(atPath: "\(directory)/state").count == 1)
        try await second.cleanUp(AcmeShFixture.challenge(.cleanUp, key: "wildcard-value"))
        #expect(AcmeShFixture.lines("\(directory)/records").isEmpty)
        #expect(try FileManager.default.contentsOfDirectory(atPath: "\(directory)/state").isEmpty)

        // Without the state, rm cannot find its record: the script says so, and that is the message.
        try await first.present(AcmeShFixture.challenge(.present, key: "lost-value"))
        let amnesiac = try await AcmeShFixture.provider(AcmeShFixture.stateBlock(directory), state: LocalStateStore(directory: "\(directory)/elsewhere"))
        let error = await #expect(throws: DNS01Error.self) { try await amnesiac.cleanUp(AcmeShFixture.challenge(.cleanUp, key: "lost-value")) }
        #expect(error?.message == "acmesh: dns_teststate_rm _acme-challenge.www.example.com failed (status 1): no saved record id for this value: the state of add is lost")
    }

    @Test("a failing script fails the step with its last _err line, secrets redacted")
    func lastErrorLine() async throws {
        let directory = try makeTemporaryDirectory("acmesh-fail")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let provider = try await AcmeShFixture.provider(AcmeShFixture.stateBlock(directory, extra: ["STATE_MODE": "fail"]))
        let error = await #expect(throws: DNS01Error.self) { try await provider.present(AcmeShFixture.challenge(.present, key: "v")) }
        #expect(error?.code == .providerRejected)
        #expect(error?.message == "acmesh: dns_teststate_add _acme-challenge.www.example.com failed (status 3): the API said: token <redacted> is not valid")
    }

    @Test("at debug level the shim's and the script's debug output is logged, secrets redacted; above it, nothing")
    func debugLogging() async throws {
        let directory = try makeTemporaryDirectory("acmesh-debug")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let recorder = LogRecorder()
        var logger = recorder.logger()
        logger.logLevel = .debug
        let provider = try await AcmeShFixture.provider(AcmeShFixture.stateBlock(directory, extra: ["STATE_MODE": "fail"]), logger: logger)
        await #expect(throws: DNS01Error.self) { try await provider.present(AcmeShFixture.challenge(.present, key: "v")) }
        #expect(recorder.text.contains("acmesh debug: running='dns_teststate_add _acme-challenge.www.example.com'"), "\(recorder.text)")
        #expect(recorder.text.contains("the API said: token <redacted> is not valid"))
        #expect(!recorder.text.contains("state-secret-token"))

        let quiet = LogRecorder()
        var infoLogger = quiet.logger()
        infoLogger.logLevel = .info
        let second = try await AcmeShFixture.provider(AcmeShFixture.stateBlock(directory, extra: ["STATE_MODE": "fail"]), logger: infoLogger)
        await #expect(throws: DNS01Error.self) { try await second.present(AcmeShFixture.challenge(.present, key: "v")) }
        #expect(!quiet.text.contains("acmesh debug"))
    }

    @Test("a script that hangs is killed with its process group at the timeout; nothing is left running")
    func hang() async throws {
        let directory = try makeTemporaryDirectory("acmesh-hang")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var block = AcmeShFixture.stateBlock(directory, extra: ["STATE_MODE": "hang"])
        if case .object(var fields) = block {
            fields["timeout"] = "1s"
            block = .object(fields)
        }
        let provider = try await AcmeShFixture.provider(block)
        let error = await #expect(throws: DNS01Error.self) { try await provider.present(AcmeShFixture.challenge(.present, key: "v")) }
        #expect(error?.code == .timedOut)
        #expect(
            error?.message.hasPrefix(
                "acmesh: dns_teststate_add _acme-challenge.www.example.com did not finish within 1.0 seconds and was killed with its process group (raise acmesh.timeout if the script waits for DNS propagation)"
            ) == true, "\(error?.message ?? "")")
        let child = try #require(pid_t(AcmeShFixture.lines("\(directory)/records.child").first ?? ""))
        let state = (try? String(contentsOfFile: "/proc/\(child)/stat", encoding: .utf8))?.split(separator: " ").dropFirst(2).first
        #expect(state == nil || state == "Z", "the script's child \(child) is still in state \(state.map(String.init) ?? "")")
    }

    @Test("a missing script names the file and how to mount it")
    func missingScript() async throws {
        let provider = try await AcmeShFixture.provider(["script": "dns_nosuchscript", "scriptsDir": .string(AcmeShFixture.scriptsDirectory)])
        let error = await #expect(throws: DNS01Error.self) { try await provider.present(AcmeShFixture.challenge(.present, key: "v")) }
        #expect(error?.code == .invalidConfiguration)
        #expect(
            error?.message
                == "acmesh: script \(AcmeShFixture.scriptsDirectory)/dns_nosuchscript.sh does not exist or is not readable: mount dns_nosuchscript.sh in \(AcmeShFixture.scriptsDirectory) (a ConfigMap, an image layer or an init container; docs/providers/acmesh.md), or fix acmesh.script / acmesh.scriptsDir"
        )
    }

    @Test("a script without dns_<name>_add says what is wrong")
    func noAddFunction() async throws {
        let provider = try await AcmeShFixture.provider(["script": "dns_testnoadd", "scriptsDir": .string(AcmeShFixture.scriptsDirectory)])
        let error = await #expect(throws: DNS01Error.self) { try await provider.present(AcmeShFixture.challenge(.present, key: "v")) }
        #expect(error?.code == .invalidConfiguration)
        #expect(
            error?.message
                == "acmesh: \(AcmeShFixture.scriptsDirectory)/dns_testnoadd.sh defines no dns_testnoadd_add function: is it an acme.sh dnsapi script, and does acmesh.script name it (the file dns_x.sh defines dns_x_add and dns_x_rm)?"
        )
    }

    @Test("a variable the script's info block lists but env does not set is named before the script runs")
    func missingVariable() async throws {
        let directory = try makeTemporaryDirectory("acmesh-vars")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let provider = try await AcmeShFixture.provider([
            "script": "dns_teststate", "scriptsDir": .string(AcmeShFixture.scriptsDirectory), "env": ["STATE_PROBE": .string("\(directory)/probe")],
        ])
        let error = await #expect(throws: DNS01Error.self) { try await provider.present(AcmeShFixture.challenge(.present, key: "v")) }
        #expect(error?.code == .invalidConfiguration)
        #expect(
            error?.message
                == "acmesh: dns_teststate needs variables that acmesh.env does not set: STATE_RECORDS, STATE_Token (Options), as its dns_teststate_info block lists; add them under acmesh.env, secrets as {secretKeyRef: {name, key}}"
        )
        #expect(!FileManager.default.fileExists(atPath: "\(directory)/probe"), "the script ran")
    }

    @Test("a tool missing from the image is named, and the step fails before the script runs")
    func missingTool() async throws {
        let directory = try makeTemporaryDirectory("acmesh-tools")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        // A PATH with every tool the shim needs but curl.
        let bin = "\(directory)/bin"
        try FileManager.default.createDirectory(atPath: bin, withIntermediateDirectories: true)
        for tool in ["awk", "cat", "chmod", "date", "grep", "head", "mktemp", "mv", "od", "rm", "sed", "sleep", "tail", "tr", "openssl", "sh", "cut", "sort", "env", "printf"] {
            for prefix in ["/usr/bin", "/bin"] where FileManager.default.fileExists(atPath: "\(prefix)/\(tool)") {
                try? FileManager.default.createSymbolicLink(atPath: "\(bin)/\(tool)", withDestinationPath: "\(prefix)/\(tool)")
            }
        }
        var environment = AcmeShFixture.podEnvironment
        environment["PATH"] = bin
        let provider = try await AcmeShFixture.provider(AcmeShFixture.stateBlock(directory), environment: environment)
        let error = await #expect(throws: DNS01Error.self) { try await provider.present(AcmeShFixture.challenge(.present, key: "v")) }
        #expect(error?.code == .providerUnavailable)
        #expect(error?.message.hasPrefix("acmesh: this image lacks tools the acme.sh shim needs: ") == true, "\(error?.message ?? "")")
        #expect(error?.message.contains("curl") == true)
        #expect(error?.message.hasSuffix("; use the acmesh image flavour (the chart's image.flavor: acmesh)") == true)
        #expect(!FileManager.default.fileExists(atPath: "\(directory)/probe"), "the script ran")
    }

    @Test("the start-up check passes with the shim, the tools and the script, and names a missing script")
    func startupCheck() async throws {
        let plugin = AcmeShFixture.plugin()
        let configuration = try plugin.decodeConfiguration(AcmeShFixture.stateBlock("/tmp"), at: .root.appending("acmesh"), source: .operatorConfig)
        try await plugin.startupCheck(configuration, logger: AcmeShFixture.logger)
        let missing = try plugin.decodeConfiguration(["script": "dns_absent", "scriptsDir": "/nonexistent"], at: .root.appending("acmesh"), source: .operatorConfig)
        await #expect(throws: DNS01Error.self) { try await plugin.startupCheck(missing, logger: AcmeShFixture.logger) }
    }

    @Test("there is no read-back, and the error says how check can see the records")
    func noReadBack() async throws {
        let provider = try await AcmeShFixture.provider(AcmeShFixture.stateBlock("/tmp"))
        await #expect(
            throws: DNS01Error(
                .providerRejected,
                "the acmesh provider cannot read records back (acme.sh scripts only add and remove): run check with --nameserver set to a DNS server that serves the zone (its Extended step then shows whether the script keeps two values at one name)")
        ) {
            try await provider.txtValues(at: DomainName("_acme-challenge.www.example.com"), zone: nil)
        }
    }
}
