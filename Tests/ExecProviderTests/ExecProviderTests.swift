import DNS01
import ExecProvider
import Foundation
import Logging
import Testing

/// The exec provider running a real shell script, as an operator would configure it.
@Suite("exec provider")
struct ExecProviderTests {
    static let namespace = "cert-manager"

    func provider(_ block: ConfigValue, environment: [String: String] = ["PATH": "/usr/bin:/bin"]) async throws -> any DNSProvider {
        let plugin = ExecPlugin()
        let configuration = try plugin.decodeConfiguration(block, at: ConfigPath.root.appending("exec"), source: .operatorConfig)
        let secrets = StaticSecretSource([.init(namespace: Self.namespace, name: "hook"): ["token": SecretValue("s3cr3t-token-value")]])
        let context = ProviderContext(
            namespace: Self.namespace, secrets: secrets, allowAmbientCredentials: false,
            origin: .operatorConfig, logger: Logger(label: "test"), environment: environment
        )
        return try await plugin.makeProvider(for: configuration, context: context)
    }

    static func challenge(_ action: Challenge.Action, _ key: String) throws -> Challenge {
        Challenge(
            action: action, uid: "uid-1", dnsName: try DomainName("www.example.com"),
            resolvedFQDN: try DomainName("_acme-challenge.www.example.com"), resolvedZone: try DomainName("example.com"),
            key: key, resourceNamespace: namespace
        )
    }

    @Test("runs PROGRAM present|cleanup <fqdn> <value>, with the challenge on stdin and in DNS01_* variables")
    func legoConvention() async throws {
        let script = try ExecScript()
        defer { script.remove() }
        let provider = try await provider(["command": .string(script.path)])
        try await provider.present(Self.challenge(.present, "key-A"))
        #expect(script.read("args") == "present\n_acme-challenge.www.example.com.\nkey-A\n")
        #expect(script.read("stdin") == #"{"action":"present","fqdn":"_acme-challenge.www.example.com.","value":"key-A","domain":"www.example.com","zone":"example.com.","namespace":"cert-manager","uid":"uid-1"}"# + "\n")
        #expect(
            script.read("env") == """
                DNS01_ACTION=present
                DNS01_DOMAIN=www.example.com
                DNS01_FQDN=_acme-challenge.www.example.com.
                DNS01_NAMESPACE=cert-manager
                DNS01_UID=uid-1
                DNS01_VALUE=key-A
                DNS01_ZONE=example.com.

                """)
        try await provider.present(Self.challenge(.present, "key-B"))
        try await provider.present(Self.challenge(.present, "key-A"))
        #expect(script.recordLines == ["_acme-challenge.www.example.com. key-B", "_acme-challenge.www.example.com. key-A"])
        try await provider.cleanUp(Self.challenge(.cleanUp, "key-B"))
        #expect(script.read("args").hasPrefix("cleanup\n"))
        #expect(script.recordLines == ["_acme-challenge.www.example.com. key-A"])
    }

    @Test("a non-zero exit fails with the status and the output, the secret value redacted")
    func failure() async throws {
        let script = try ExecScript()
        defer { script.remove() }
        let provider = try await provider([
            "command": .string(script.path), "env": ["MODE": "fail"],
            "secretEnv": ["API_TOKEN": ["name": "hook", "key": "token"]],
        ])
        let error = await #expect(throws: DNS01Error.self) { try await provider.present(Self.challenge(.present, "key-A")) }
        #expect(error?.code == .providerRejected)
        #expect(error?.message == "exec: \(script.path) present _acme-challenge.www.example.com. exited with status 3: updating _acme-challenge.www.example.com. | API said: token <redacted> is not valid")
    }

    @Test("long output is cut to its end, where the error is")
    func longOutput() async throws {
        let script = try ExecScript()
        defer { script.remove() }
        let provider = try await provider(["command": .string(script.path), "env": ["MODE": "noisy"]])
        let error = await #expect(throws: DNS01Error.self) { try await provider.present(Self.challenge(.present, "key-A")) }
        let message = try #require(error?.message)
        #expect(message.hasSuffix("line 2999 of noise | the real error"))
        #expect(message.count < 800)
    }

    @Test("a program running past its timeout is killed with its children, and the error says so")
    func timeout() async throws {
        let script = try ExecScript()
        defer { script.remove() }
        let provider = try await provider(["command": .string(script.path), "env": ["MODE": "hang"], "timeout": "1s"])
        let error = await #expect(throws: DNS01Error.self) { try await provider.present(Self.challenge(.present, "key-A")) }
        #expect(error?.code == .timedOut)
        #expect(error?.message == "exec: \(script.path) present _acme-challenge.www.example.com. did not finish within 1.0 seconds and was killed")
        let child = try #require(pid_t(script.read("child").trimmingCharacters(in: .whitespacesAndNewlines)))
        // The script's own child (its `sleep 30`) got the signal too: it is gone, or a zombie
        // waiting for init to reap it, but no longer running.
        let state = (try? String(contentsOfFile: "/proc/\(child)/stat", encoding: .utf8))?.split(separator: " ").dropFirst(2).first
        #expect(state == nil || state == "Z", "the hook's child \(child) is still in state \(state.map(String.init) ?? "")")
    }

    @Test("a missing program is a clear error")
    func missingProgram() async throws {
        let provider = try await provider(["command": "/nonexistent/hook"])
        let error = await #expect(throws: DNS01Error.self) { try await provider.present(Self.challenge(.present, "key-A")) }
        #expect(error?.code == .providerUnavailable)
        #expect(error?.message.hasPrefix("exec: cannot run /nonexistent/hook: ") == true)
    }

    @Test("without a nameserver there is no read-back, and the error says what to set")
    func noReadBack() async throws {
        let provider = try await provider(["command": "/bin/true"])
        await #expect(throws: DNS01Error(.providerRejected, "the exec provider cannot read records back by itself: set exec.nameserver to the DNS server your program updates")) {
            try await provider.txtValues(at: DomainName("_acme-challenge.www.example.com"), zone: nil)
        }
    }

    @Test(
        "config mistakes name their field",
        arguments: [
            (["timeout": "30s"], "exec.command is required"),
            (["command": "/bin/true", "timeout": "11m"], "exec.timeout must be more than 0s and at most 10m"),
            (["command": "/bin/true", "env": ["DNS01_FQDN": "x"]], "exec.env.DNS01_FQDN is reserved: the DNS01_* variables describe the challenge"),
            (["command": "/bin/true", "env": ["BAD-NAME": "x"]], "exec.env.BAD-NAME is not a valid environment variable name"),
            (["command": "/bin/true", "secretEnv": ["TOKEN": "plain"]], "exec.secretEnv.TOKEN must be an object, got a string"),
            (["command": "/bin/true", "args": ["x"]], "exec has an unknown field \"args\" (known fields: command, env, nameserver, secretEnv, timeout)"),
        ] as [(ConfigValue, String)])
    func configMistakes(block: ConfigValue, message: String) {
        #expect(throws: DNS01Error(.invalidConfiguration, message)) {
            try ExecPlugin().decodeConfiguration(block, at: ConfigPath.root.appending("exec"), source: .operatorConfig)
        }
    }
}
