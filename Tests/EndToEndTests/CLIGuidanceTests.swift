import Foundation
import TestSupport
import Testing

/// What the CLI tells a user on the first day: progress while it waits, a JSON report for CI,
/// configs from standard input or pasted from cert-manager, and errors that say what to do.
@Suite("dns01-webhook CLI: progress, JSON report and guidance", .serialized)
struct CLIGuidanceTests {
    let directory: String
    /// No cluster unless a test gives one: the user's own kubeconfig never leaks in.
    let environment: [String: String]

    init() throws {
        directory = try makeTemporaryDirectory("cli-guidance")
        environment = ["HOME": directory, "KUBECONFIG": ""]
    }

    func file(_ name: String, _ text: String) throws -> String {
        let path = "\(directory)/\(name)"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func run(_ arguments: [String], input: String? = nil, environment extra: [String: String] = [:]) async throws -> CommandResult {
        try await runCommand(webhookBinary, arguments, environment: environment.merging(extra) { $1 }, input: input)
    }

    // MARK: Progress and the JSON report

    @Test("--output json prints one document with every step, its timing and outcome")
    func jsonReport() async throws {
        let config = try file("memory.yaml", "memory: {zones: [example.com]}\n")
        let result = try await run(["check", "--config", config, "--domain", "www.example.com", "--output", "json", "--poll-interval", "0.05", "--timeout", "5"])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(report["passed"] as? Bool == true)
        #expect(report["solver"] as? String == "dispatch")
        #expect(report["domain"] as? String == "www.example.com")
        #expect(report["fqdn"] as? String == "_acme-challenge.www.example.com.")
        #expect(report["nameserver"] is NSNull)
        #expect(report["error"] is NSNull)
        #expect(report["timeoutSeconds"] as? Double == 5)
        #expect((report["elapsedSeconds"] as? Double).map { $0 >= 0 } == true)
        let steps = try #require(report["steps"] as? [[String: Any]])
        #expect(steps.count == 13)
        #expect(steps.first?["name"] as? String == "route")
        #expect(steps.allSatisfy { $0["outcome"] as? String == "pass" && $0["elapsedSeconds"] is Double && $0["detail"] is String })
        #expect(steps.contains { $0["name"] as? String == "extended: key B gone, key A kept" && $0["detail"] as? String == "via provider" })
    }

    @Test("--output json still prints a document when the check cannot start, with the reason, and exits 1")
    func jsonReportOnSetupFailure() async throws {
        let config = try file("typo.yaml", "memory: {zone: [example.com]}\n")
        let result = try await run(["check", "--config", config, "--domain", "www.example.com", "--output", "json"])
        #expect(result.status == 1)
        let report = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(report["passed"] as? Bool == false)
        #expect((report["steps"] as? [Any])?.isEmpty == true)
        #expect(report["error"] as? String == "memory has an unknown field \"zone\" (did you mean \"zones\"?)")
        #expect(result.stderr == "error: memory has an unknown field \"zone\" (did you mean \"zones\"?)\n")
    }

    @Test("while it waits, check says so on stderr: what for, through which path, elapsed of the timeout, at most every 5 s")
    func progress() async throws {
        let knot = try await KnotServer.start(zones: ["example.com": "www IN A 127.0.0.1"])
        defer { knot.stop() }
        let config = try file("memory.yaml", "memory: {zones: [example.com]}\n")
        let result = try await run([
            "check", "--config", config, "--domain", "www.example.com", "--nameserver", knot.address,
            "--poll-interval", "0.5", "--timeout", "7", "--basic-only",
        ])
        #expect(result.status == 1)
        #expect(result.stdout.contains("FAIL  basic: key A visible"))
        #expect(result.stdout.contains("not reached within 7s: provider has A; DNS says NXDOMAIN"))
        let lines = result.stderr.split(separator: "\n").map(String.init).filter { $0.hasPrefix("... basic: key A visible") }
        #expect(lines.first == "... basic: key A visible: 0s of 7s: waiting until key A is visible through memory's API and DNS at \(knot.address), polling every 0.5s")
        // Then one line per 5 s while it lasts (about 7 s; more only if this machine is slow).
        let ticks = lines.dropFirst()
        #expect((1...2).contains(ticks.count), "\(result.stderr)")
        for tick in ticks {
            let elapsed = tick.dropFirst("... basic: key A visible: ".count).prefix { $0.isNumber }
            #expect((Int(elapsed) ?? 0) >= 5, "\(tick)")
            #expect(tick.hasSuffix("s of 7s: waiting until key A is visible through memory's API and DNS at \(knot.address); last seen: provider has A; DNS says NXDOMAIN"), "\(tick)")
        }
        // Progress is never on stdout, where the steps (or the JSON document) are.
        #expect(!result.stdout.contains("..."))
    }

    @Test("a visibility step gives up only once --timeout has passed, never a poll interval early")
    func fullTimeout() async throws {
        let knot = try await KnotServer.start(zones: ["example.com": "www IN A 127.0.0.1"])
        defer { knot.stop() }
        let config = try file("memory.yaml", "memory: {zones: [example.com]}\n")
        let result = try await run([
            "check", "--config", config, "--domain", "www.example.com", "--nameserver", knot.address,
            "--poll-interval", "0.7", "--timeout", "1", "--basic-only", "--output", "json",
        ])
        #expect(result.status == 1)
        let report = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let steps = try #require(report["steps"] as? [[String: Any]])
        let visible = try #require(steps.first { $0["name"] as? String == "basic: key A visible" })
        #expect(visible["outcome"] as? String == "fail")
        #expect((visible["elapsedSeconds"] as? Double ?? 0) >= 1.0, "\(visible)")
        #expect(steps.last?["name"] as? String == "clean up after failure")
        #expect(report["nameserver"] as? String == knot.address)
    }

    // MARK: --config -

    @Test("--config - reads the config from standard input for check, present, cleanup and config validate")
    func configFromStandardInput() async throws {
        let config = "memory: {zones: [example.com]}\n"
        let check = try await run(["check", "--config", "-", "--domain", "www.example.com", "--basic-only", "--poll-interval", "0.05", "--timeout", "2"], input: config)
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
        for command in ["present", "cleanup"] {
            let result = try await run([command, "--config", "-", "--fqdn", "_acme-challenge.www.example.com", "--key", "k"], input: config)
            #expect(result.status == 0, "\(result.stderr)")
        }
        let validate = try await run(["config", "validate", "--config", "-"], input: config)
        #expect(validate.stdout == "standard input: valid (one memory entry)\n")
        let broken = try await run(["present", "--config", "-", "--fqdn", "_acme-challenge.www.example.com", "--key", "k"], input: "memory: {zones: [example.com]\n")
        #expect(broken.stderr.hasPrefix("error: standard input is not valid YAML or JSON: line 2, column 1"))
    }

    // MARK: Messages that say what to do

    @Test("a YAML error gives the line, the column, the parser's reason and the offending line")
    func yamlError() async throws {
        let config = try file("broken.yaml", "providers:\n  - selector: {dnsZones: [example.com]\n    memory: {}\n")
        let result = try await run(["config", "validate", "--config", config])
        #expect(result.status == 1)
        #expect(
            result.stderr
                == "error: \(config) is not valid YAML or JSON: line 3, column 5: did not find expected ',' or '}' (while parsing a flow mapping that starts on line 2, column 15); line 3 reads: memory: {}\n"
        )
    }

    @Test("cert-manager's route53 block pasted as the whole config: use --solver route53, or wrap it")
    func bareBlock() async throws {
        let config = try file(
            "route53-block.yaml",
            "region: us-east-1\naccessKeyIDSecretRef: {name: aws, key: id}\nsecretAccessKeySecretRef: {name: aws, key: secret}\n"
        )
        let result = try await run(["config", "validate", "--config", config])
        #expect(result.status == 1)
        #expect(result.stderr.contains("this looks like a route53 block on its own; name its solver (--solver route53; in an Issuer, solverName: route53), or put the block under \"route53:\""))
        let fixed = try await run(["config", "validate", "--config", config, "--solver", "route53"])
        #expect(fixed.stdout == "\(config): valid (one route53 entry)\n", "\(fixed.stderr)")
    }

    static let clusterIssuerWithWebhook = """
        apiVersion: cert-manager.io/v1
        kind: ClusterIssuer
        metadata: {name: letsencrypt}
        spec:
          acme:
            server: https://acme-staging-v02.api.letsencrypt.org/directory
            privateKeySecretRef: {name: letsencrypt-account}
            solvers:
              - http01: {ingress: {ingressClassName: nginx}}
              - dns01:
                  webhook:
                    groupName: acme.example.com
                    solverName: memory
                    config: {zones: [example.com]}
        """

    @Test("a ClusterIssuer given as config: its webhook solver's config and solverName are used, with a note")
    func issuerWebhookConfig() async throws {
        let config = try file("issuer.yaml", Self.clusterIssuerWithWebhook)
        let result = try await run(["check", "--config", config, "--domain", "www.example.com", "--basic-only", "--poll-interval", "0.05", "--timeout", "2"])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stderr.contains("note: \(config) is the ClusterIssuer \"letsencrypt\": using .spec.acme.solvers[1].dns01.webhook.config with solver memory\n"))
        #expect(result.stdout.contains("→ memory ("))
    }

    @Test("an Issuer with cert-manager's built-in route53 solver: its block is used as the route53 block")
    func issuerBuiltInBlock() async throws {
        let config = try file(
            "route53-issuer.yaml",
            """
            apiVersion: cert-manager.io/v1
            kind: Issuer
            metadata: {name: r53, namespace: team-a}
            spec:
              acme:
                solvers:
                  - dns01:
                      cnameStrategy: Follow
                      route53: {region: eu-west-1, hostedZoneID: Z123}
            """)
        let result = try await run(["config", "validate", "--config", config])
        #expect(result.stdout == "\(config): valid (one route53 entry)\n", "\(result.stderr)")
        #expect(result.stderr == "note: \(config) is the Issuer \"r53\": using .spec.acme.solvers[0].dns01.route53 as the route53 block\n")
    }

    @Test("an Issuer with several DNS-01 solvers is refused with the path of each block to copy; --solver picks one")
    func issuerWithSeveralSolvers() async throws {
        let config = try file(
            "two.yaml",
            """
            apiVersion: cert-manager.io/v1
            kind: ClusterIssuer
            metadata: {name: two}
            spec:
              acme:
                solvers:
                  - selector: {dnsZones: [example.com]}
                    dns01: {route53: {region: us-east-1}}
                  - dns01: {webhook: {groupName: acme.example.com, solverName: alidns-solver, config: {regionId: cn-beijing}}}
            """)
        let result = try await run(["config", "validate", "--config", config])
        #expect(result.status == 1)
        #expect(
            result.stderr
                == "error: \(config) is the ClusterIssuer \"two\", which has 2 DNS-01 solvers; copy the one you mean into a file of its own (for example yq '.spec.acme.solvers[0].dns01.route53' \(config)): .spec.acme.solvers[0].dns01.route53 (cert-manager's route53 solver), .spec.acme.solvers[1].dns01.webhook.config (webhook, solverName alidns-solver)\n"
        )
        let picked = try await run(["config", "validate", "--config", config, "--solver", "route53"])
        #expect(picked.stdout == "\(config): valid (one route53 entry)\n", "\(picked.stderr)")
    }

    @Test("--solver NAME with a config that has no NAME block is an error, not an empty block")
    func solverWithoutBlock() async throws {
        let config = try file("memory.yaml", "memory: {zones: [example.com]}\n")
        let expected = "--solver alidns: \(config) has no alidns block (it has only memory); give a config with a block for alidns (on its own or under \"alidns:\"), or leave out --solver to use the config as it is"
        let present = try await run(["present", "--config", config, "--solver", "alidns", "--fqdn", "_acme-challenge.www.example.com", "--key", "k"])
        #expect(present.status == 1)
        #expect(present.stderr == "error: \(expected)\n")
        let validate = try await run(["config", "validate", "--config", config, "--solver", "alidns"])
        #expect(validate.stderr == "error: \(expected)\n")
    }

    @Test("a Secret missing from --namespace but present elsewhere in the --secrets file: pass --namespace")
    func secretInAnotherNamespace() async throws {
        let config = try file("secret.yaml", "memory: {zones: [example.com], apiTokenSecretRef: {name: memory-token, key: token}}\n")
        let secrets = try file(
            "secrets.yaml",
            "apiVersion: v1\nkind: Secret\nmetadata: {name: memory-token, namespace: cert-manager}\nstringData: {token: t}\n"
        )
        let result = try await run(["present", "--config", config, "--secrets", secrets, "--fqdn", "_acme-challenge.www.example.com", "--key", "k"])
        #expect(result.status == 1)
        #expect(
            result.stderr
                == "error: secret \"memory-token\" not found in namespace \"default\" (read from \(secrets)); \(secrets) has a Secret \"memory-token\" in namespace \"cert-manager\": pass --namespace cert-manager (the namespace Secret references resolve in, cert-manager's resourceNamespace)\n"
        )
    }

    @Test("route53 with no credentials names the fields to set and --allow-ambient-credentials")
    func route53WithoutCredentials() async throws {
        let config = try file("r53.yaml", "route53: {region: us-east-1, endpoint: \"http://127.0.0.1:1\"}\n")
        let result = try await run(["present", "--config", config, "--fqdn", "_acme-challenge.www.example.com", "--key", "k"])
        #expect(result.status == 1)
        for words in ["accessKeyID", "accessKeyIDSecretRef", "secretAccessKeySecretRef", "auth.kubernetes.serviceAccountRef", "--allow-ambient-credentials"] {
            #expect(result.stderr.contains(words), "\(result.stderr)")
        }
    }

    // MARK: The cluster, like kubectl

    @Test("a ~/.kube/config that cannot be used matters only once a Secret is needed, and then says why")
    func unusableHomeKubeconfig() async throws {
        let home = try makeTemporaryDirectory("home")
        try FileManager.default.createDirectory(atPath: "\(home)/.kube", withIntermediateDirectories: true)
        try """
        current-context: gke
        contexts: [{name: gke, context: {cluster: gke, user: gke}}]
        clusters: [{name: gke, cluster: {server: "https://127.0.0.1:1"}}]
        users: [{name: gke, user: {auth-provider: {name: gcp}}}]
        """.write(toFile: "\(home)/.kube/config", atomically: true, encoding: .utf8)
        let plain = try file("memory.yaml", "memory: {zones: [example.com]}\n")
        let passing = try await run(["present", "--config", plain, "--fqdn", "_acme-challenge.www.example.com", "--key", "k"], environment: ["HOME": home])
        #expect(passing.status == 0, "\(passing.stderr)")
        let needsSecret = try file("secret.yaml", "memory: {zones: [example.com], apiTokenSecretRef: {name: memory-token, key: token}}\n")
        let failing = try await run(["present", "--config", needsSecret, "--fqdn", "_acme-challenge.www.example.com", "--key", "k"], environment: ["HOME": home])
        #expect(
            failing.stderr
                == "error: cannot read secret default/memory-token: no --secrets file was given, and the cluster cannot be used: kubeconfig \(home)/.kube/config (context gke): only client certificates, token, tokenFile and exec credential plugins are supported (not auth-provider or basic auth)\n"
        )
        // Named on the command line, the same kubeconfig must work from the start.
        let named = try await run(["present", "--config", plain, "--kubeconfig", "\(home)/.kube/config", "--fqdn", "_acme-challenge.www.example.com", "--key", "k"])
        #expect(named.status == 1)
    }

    @Test("without --secrets, Secrets come from the cluster of KUBECONFIG, authenticated by an exec credential plugin")
    func kubeconfigFromEnvironment() async throws {
        let user = FakeKubeAPIServer.webhookUser
        let api = try await FakeKubeAPIServer.start(
            pki: .shared,
            state: [
                "anonymous": false,
                "tokens": ["plugin-token": ["user": user]],
                "rules": [["effect": "allow", "users": [user], "verbs": ["get"], "resources": ["secrets"], "namespaces": ["cert-manager"]]],
                "secrets": ["cert-manager/memory-token": ["stringData": ["token": "t"]]],
            ])
        defer { api.stop() }
        let plugin = try file(
            "plugin.sh",
            "#!/bin/sh\necho run >> \"$(dirname \"$0\")/runs\"\necho '{\"apiVersion\":\"client.authentication.k8s.io/v1beta1\",\"kind\":\"ExecCredential\",\"status\":{\"token\":\"plugin-token\"}}'\n"
        )
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: plugin)
        let kubeconfig = try file(
            "kubeconfig",
            """
            current-context: fake
            contexts: [{name: fake, context: {cluster: fake, user: plugin}}]
            clusters: [{name: fake, cluster: {server: "\(api.url)", certificate-authority: "\(TestPKI.shared["clusterCACert"])"}}]
            users: [{name: plugin, user: {exec: {apiVersion: client.authentication.k8s.io/v1beta1, command: ./plugin.sh}}}]
            """)
        let config = try file("secret.yaml", "memory: {zones: [example.com], apiTokenSecretRef: {name: memory-token, key: token}}\n")
        let result = try await run(
            ["present", "--config", config, "--namespace", "cert-manager", "--fqdn", "_acme-challenge.www.example.com", "--key", "k"],
            environment: ["KUBECONFIG": "\(directory)/absent:\(kubeconfig)"]
        )
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try String(contentsOfFile: "\(directory)/runs", encoding: .utf8) == "run\n")
        let reads = try await api.requests().filter { ($0["path"] as? String) == "/api/v1/namespaces/cert-manager/secrets/memory-token" }
        #expect(reads.map { $0["auth"] as? String } == ["token"])
    }
}
