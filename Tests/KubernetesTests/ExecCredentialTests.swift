import DNS01
import Foundation
import Kubernetes
import Logging
import TestSupport
import Testing

/// Kubeconfig exec credential plugins against the fake apiserver, with a small shell script
/// as the plugin: it counts its runs, records its arguments, environment and
/// `KUBERNETES_EXEC_INFO`, and prints the `ExecCredential` the test put next to it.
@Suite("Exec credential plugins")
struct ExecCredentialTests {
    static let tokenUser = "system:serviceaccount:cert-manager:dns01-webhook"

    /// A directory with the plugin script, and what the plugin reads and writes.
    struct Plugin {
        let directory: String
        var script: String { "\(directory)/plugin.sh" }

        init() throws {
            directory = try makeTemporaryDirectory("exec-plugin")
            try """
            #!/bin/sh
            dir="$(dirname "$0")"
            sleep "${PLUGIN_DELAY:-0}"
            echo run >> "$dir/runs"
            printf '%s' "$KUBERNETES_EXEC_INFO" > "$dir/exec-info.json"
            printf '%s\\n' "$@" > "$dir/args"
            printf '%s' "$PLUGIN_FLAVOUR" > "$dir/env"
            cat "$dir/credential.json"
            """.write(toFile: script, atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script)
        }

        /// What the next run prints.
        func answer(apiVersion: String = "client.authentication.k8s.io/v1", _ status: [String: Any]) throws {
            let object: [String: Any] = ["apiVersion": apiVersion, "kind": "ExecCredential", "status": status]
            try JSONSerialization.data(withJSONObject: object).write(to: URL(fileURLWithPath: "\(directory)/credential.json"))
        }

        var runs: Int {
            ((try? String(contentsOfFile: "\(directory)/runs", encoding: .utf8)) ?? "").split(separator: "\n").count
        }

        func recorded(_ name: String) throws -> String { try String(contentsOfFile: "\(directory)/\(name)", encoding: .utf8) }
    }

    static func kubeconfig(server: String, exec: String, in directory: String) throws -> String {
        let path = "\(directory)/kubeconfig"
        try """
        apiVersion: v1
        kind: Config
        current-context: exec
        contexts:
        - name: exec
          context: {cluster: fake, user: plugin}
        clusters:
        - name: fake
          cluster:
            server: \(server)
            certificate-authority: \(TestPKI.shared["clusterCACert"])
            extensions:
            - name: client.authentication.k8s.io/exec
              extension: {audience: fake-cluster}
        users:
        - name: plugin
          user:
            exec:
        \(exec.split(separator: "\n").map { "      " + $0 }.joined(separator: "\n"))
        """.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static func state(tokens: [String]) -> [String: Any] {
        [
            "anonymous": false,
            "tokens": Dictionary(uniqueKeysWithValues: tokens.map { ($0, ["user": tokenUser] as [String: Any]) }),
            "rules": [["effect": "allow", "users": [tokenUser], "verbs": ["get"], "resources": ["secrets"], "namespaces": ["cert-manager"]]],
            "secrets": ["cert-manager/dns": ["stringData": ["token": "from-the-cluster"]]],
        ]
    }

    static func read(_ connection: KubernetesConnection) async throws -> String {
        let source = KubernetesSecretSource(client: KubernetesClient(connection: connection, logger: Logger(label: "test")))
        return try await source.secretValue(namespace: "cert-manager", name: "dns", key: "token").text
    }

    static func future(_ seconds: TimeInterval) -> String {
        let formatter = ISO8601DateFormatter()
        return formatter.string(from: Date().addingTimeInterval(seconds))
    }

    @Test("v1: the token is used and cached until its expirationTimestamp; args, env and cluster info reach the plugin")
    func cachedToken() async throws {
        let api = try await FakeKubeAPIServer.start(pki: .shared, state: Self.state(tokens: ["exec-token-1"]))
        defer { api.stop() }
        let plugin = try Plugin()
        try plugin.answer(["token": "exec-token-1", "expirationTimestamp": Self.future(3600)])
        let path = try Self.kubeconfig(
            server: api.url,
            exec: """
                apiVersion: client.authentication.k8s.io/v1
                command: ./plugin.sh
                args: [token, --cluster-name, fake]
                env: [{name: PLUGIN_FLAVOUR, value: vanilla}]
                interactiveMode: Never
                provideClusterInfo: true
                """, in: plugin.directory)
        let connection = try Kubeconfig.load(path: path).connection()
        #expect(try await Self.read(connection) == "from-the-cluster")
        #expect(try await Self.read(connection) == "from-the-cluster")
        #expect(plugin.runs == 1)
        #expect(try plugin.recorded("args") == "token\n--cluster-name\nfake\n")
        #expect(try plugin.recorded("env") == "vanilla")
        let info = try #require(JSONSerialization.jsonObject(with: Data(plugin.recorded("exec-info.json").utf8)) as? [String: Any])
        #expect(info["apiVersion"] as? String == "client.authentication.k8s.io/v1")
        #expect(info["kind"] as? String == "ExecCredential")
        let spec = try #require(info["spec"] as? [String: Any])
        #expect(spec["interactive"] as? Bool == false)
        let cluster = try #require(spec["cluster"] as? [String: Any])
        #expect(cluster["server"] as? String == api.url)
        #expect((cluster["certificate-authority-data"] as? String).flatMap { Data(base64Encoded: $0) } == FileManager.default.contents(atPath: TestPKI.shared["clusterCACert"]))
        #expect((cluster["config"] as? [String: Any])?["audience"] as? String == "fake-cluster")
    }

    @Test("an expired credential makes the plugin run again; without provideClusterInfo no cluster is passed")
    func expiredToken() async throws {
        let api = try await FakeKubeAPIServer.start(pki: .shared, state: Self.state(tokens: ["exec-token-1"]))
        defer { api.stop() }
        let plugin = try Plugin()
        try plugin.answer(apiVersion: "client.authentication.k8s.io/v1beta1", ["token": "exec-token-1", "expirationTimestamp": "2020-01-01T00:00:00Z"])
        let path = try Self.kubeconfig(server: api.url, exec: "apiVersion: client.authentication.k8s.io/v1beta1\ncommand: ./plugin.sh", in: plugin.directory)
        let connection = try Kubeconfig.load(path: path).connection()
        _ = try await Self.read(connection)
        _ = try await Self.read(connection)
        #expect(plugin.runs == 2)
        let info = try #require(JSONSerialization.jsonObject(with: Data(plugin.recorded("exec-info.json").utf8)) as? [String: Any])
        #expect(info["apiVersion"] as? String == "client.authentication.k8s.io/v1beta1")
        #expect((info["spec"] as? [String: Any])?["cluster"] == nil)
    }

    @Test("requests that need a credential at the same time share one run of the plugin")
    func oneRunForConcurrentRequests() async throws {
        let plugin = try Plugin()
        try plugin.answer(["token": "t"])
        let path = try Self.kubeconfig(
            server: "https://127.0.0.1:1",
            exec: "apiVersion: client.authentication.k8s.io/v1\ncommand: ./plugin.sh\ninteractiveMode: Never\nenv: [{name: PLUGIN_DELAY, value: \"0.5\"}]",
            in: plugin.directory)
        let source = try #require(try Kubeconfig.load(path: path).connection().execCredential)
        let tokens = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<8 { group.addTask { try await source.credential().token?.text ?? "" } }
            return try await group.reduce(into: [String]()) { $0.append($1) }
        }
        #expect(tokens == Array(repeating: "t", count: 8))
        #expect(plugin.runs == 1)
    }

    @Test("a 401 runs the plugin again and the request is sent once more with the new token")
    func rerunOn401() async throws {
        let api = try await FakeKubeAPIServer.start(pki: .shared, state: Self.state(tokens: ["exec-token-1"]))
        defer { api.stop() }
        let plugin = try Plugin()
        try plugin.answer(["token": "exec-token-1"])
        let path = try Self.kubeconfig(server: api.url, exec: "apiVersion: client.authentication.k8s.io/v1\ncommand: ./plugin.sh\ninteractiveMode: IfAvailable", in: plugin.directory)
        let connection = try Kubeconfig.load(path: path).connection()
        #expect(try await Self.read(connection) == "from-the-cluster")
        // The token is revoked and the plugin would now hand out a new one.
        try await api.update(["tokens": ["exec-token-2": ["user": Self.tokenUser]]])
        try plugin.answer(["token": "exec-token-2"])
        #expect(try await Self.read(connection) == "from-the-cluster")
        #expect(plugin.runs == 2)
        let statuses = try await api.requests().filter { ($0["path"] as? String)?.hasSuffix("/secrets/dns") == true }.compactMap { $0["status"] as? Int }
        #expect(statuses == [200, 401, 200])
    }

    @Test("a client certificate and key from the plugin authenticate the TLS connection")
    func clientCertificate() async throws {
        let api = try await FakeKubeAPIServer.start(pki: .shared, state: Self.state(tokens: []))
        defer { api.stop() }
        let plugin = try Plugin()
        let pki = TestPKI.shared
        try plugin.answer([
            "clientCertificateData": try String(contentsOfFile: pki["webhookClientCert"], encoding: .utf8),
            "clientKeyData": try String(contentsOfFile: pki["webhookClientKey"], encoding: .utf8),
        ])
        let path = try Self.kubeconfig(server: api.url, exec: "apiVersion: client.authentication.k8s.io/v1\ncommand: ./plugin.sh\ninteractiveMode: Never", in: plugin.directory)
        #expect(try await Self.read(Kubeconfig.load(path: path).connection()) == "from-the-cluster")
        let request = try await api.requests().last { ($0["path"] as? String)?.hasSuffix("/secrets/dns") == true }
        #expect(request?["auth"] as? String == "cert")
        #expect(request?["user"] as? String == FakeKubeAPIServer.webhookUser)
    }

    @Test(
        "plugin blocks and answers that cannot work are refused with what to do",
        arguments: [
            (
                "apiVersion: client.authentication.k8s.io/v1\ncommand: dns01-test-no-such-plugin\ninteractiveMode: Never\ninstallHint: |\n  Install it with\n  apt-get install no-such-plugin",
                "was not found (not in PATH). The kubeconfig's install hint: Install it with apt-get install no-such-plugin"
            ),
            ("apiVersion: client.authentication.k8s.io/v1\ncommand: ./plugin.sh\ninteractiveMode: Always", "has interactiveMode Always, which needs a terminal on standard input"),
            ("apiVersion: client.authentication.k8s.io/v1\ncommand: ./plugin.sh", "interactiveMode is required with client.authentication.k8s.io/v1"),
            ("apiVersion: client.authentication.k8s.io/v1alpha1\ncommand: ./plugin.sh", "apiVersion client.authentication.k8s.io/v1alpha1 is not supported"),
            ("apiVersion: client.authentication.k8s.io/v1\ncommand: ./plugin.sh\ninteractiveMode: Sometimes", "interactiveMode \"Sometimes\" is not one of Never, IfAvailable, Always"),
        ])
    func refusedBlocks(exec: String, expected: String) async throws {
        let plugin = try Plugin()
        let path = try Self.kubeconfig(server: "https://127.0.0.1:1", exec: exec, in: plugin.directory)
        // The block is checked on loading; a missing command is found out when first needed.
        let error = await #expect(throws: KubernetesError.self) {
            _ = try await Kubeconfig.load(path: path).connection(interactive: false).execCredential?.credential()
        }
        #expect(error?.message.contains(expected) == true, "\(String(describing: error?.message))")
        #expect(plugin.runs == 0)
    }

    @Test(
        "a plugin's answer that is not a usable ExecCredential is refused",
        arguments: [
            (["clientCertificateData": "x"], "returned only one of clientCertificateData and clientKeyData"),
            ([:], "returned neither a token nor a client certificate"),
            (["token": "t", "expirationTimestamp": "tomorrow"], "expirationTimestamp that is not an RFC 3339 time"),
        ] as [([String: String], String)])
    func refusedAnswers(status: [String: String], expected: String) async throws {
        let plugin = try Plugin()
        try plugin.answer(status)
        let path = try Self.kubeconfig(server: "https://127.0.0.1:1", exec: "apiVersion: client.authentication.k8s.io/v1\ncommand: ./plugin.sh\ninteractiveMode: Never", in: plugin.directory)
        let source = try #require(try Kubeconfig.load(path: path).connection().execCredential)
        let error = await #expect(throws: KubernetesError.self) { _ = try await source.credential() }
        #expect(error?.message.contains(expected) == true, "\(String(describing: error?.message))")
        try plugin.answer(apiVersion: "client.authentication.k8s.io/v1beta1", ["token": "t"])
        let mismatch = await #expect(throws: KubernetesError.self) { _ = try await source.credential() }
        #expect(mismatch?.message.contains("answered with apiVersion client.authentication.k8s.io/v1beta1, but the kubeconfig asks for client.authentication.k8s.io/v1") == true)
    }
}
