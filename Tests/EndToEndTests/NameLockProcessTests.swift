import DNS01
import Foundation
import ServerTestSupport
import TestSupport
import Testing

/// Gandi LiveDNS has no precondition on its TXT sets: two processes that read-modify-write one
/// name at once lose a value unless they lock the name. Here several `serve` replicas (one fake
/// kube-apiserver with real Lease semantics) and several CLI processes (one state directory)
/// write the same name at once against the Gandi emulator, and no value is lost.
@Suite("Record-name locks across processes (Gandi emulator)", .serialized)
struct NameLockProcessTests {
    static let namespace = "cert-manager"
    static let group = "acme.example.com"
    static let certManager = "system:serviceaccount:cert-manager:cert-manager"
    static let requestTimeoutSeconds = 8
    /// What the Lease lock makes of the request timeout: a quarter more, at least 5 s.
    static let leaseSeconds = requestTimeoutSeconds + 5

    let directory: String
    let emulator: EmulatorPeer

    init() async throws {
        directory = try makeTemporaryDirectory("name-locks")
        emulator = try await EmulatorPeer("gandi_emulator.py")
        try """
        gandi:
          apiKeySecretRef: {name: gandi, key: token}
          endpoint: \(emulator.baseURL)/v5/livedns
        """.write(toFile: "\(directory)/config.yaml", atomically: true, encoding: .utf8)
        try """
        apiVersion: v1
        kind: Secret
        metadata: {name: gandi, namespace: cert-manager}
        stringData: {token: gandi-test-pat}
        """.write(toFile: "\(directory)/secrets.yaml", atomically: true, encoding: .utf8)
    }

    func values() async throws -> [String] {
        let records = try await emulator.state()["records"] as? [[String: Any]] ?? []
        let set = records.first { $0["domain"] as? String == "example.com" && $0["rrset_name"] as? String == "_acme-challenge" && $0["rrset_type"] as? String == "TXT" }
        return (set?["rrset_values"] as? [String] ?? []).map(TXTRecord.unquoted).sorted()
    }

    // MARK: serve replicas

    func startAPI() async throws -> FakeKubeAPIServer {
        let rules: [[String: Any]] =
            FakeKubeAPIServer.webhookRules + FakeKubeAPIServer.leaseRules(namespace: Self.namespace) + [
                ["effect": "allow", "users": [FakeKubeAPIServer.webhookUser], "verbs": ["get"], "resources": ["secrets"], "namespaces": [Self.namespace]],
                ["effect": "allow", "users": [Self.certManager], "verbs": ["create"], "apiGroups": [Self.group], "resources": ["gandi", "dispatch"]],
            ]
        return try await FakeKubeAPIServer.start(pki: .shared, state: ["rules": rules, "secrets": ["cert-manager/gandi": ["stringData": ["token": "gandi-test-pat"]]]])
    }

    func startReplica(_ name: String, api: FakeKubeAPIServer, requestTimeoutSeconds: Int = Self.requestTimeoutSeconds) async throws -> PeerProcess {
        let pki = TestPKI.shared
        let arguments = [
            "serve", "--group-name", Self.group, "--bind-address", "127.0.0.1", "--secure-port", "0",
            "--tls-cert-file", pki["servingACert"], "--tls-private-key-file", pki["servingAKey"],
            "--kubeconfig", api.kubeconfig, "--config", "\(directory)/config.yaml",
            "--request-timeout", "\(requestTimeoutSeconds)s", "--log-format", "json", "--announce",
        ]
        let environment = ["POD_NAME": name, "POD_NAMESPACE": Self.namespace]
        let replica = try await PeerProcess.start(webhookBinary, arguments, environment: environment)
        // Ready once it has read the front-proxy CA from the cluster.
        let ready = await eventually { (try? await send(.GET, "https://127.0.0.1:\(replica.port)/readyz"))?.status == 200 }
        try #require(ready, "\(name) did not become ready: \(replica.stderrText)")
        return replica
    }

    /// One challenge step as the kube-apiserver proxies cert-manager's call.
    func challenge(_ action: String, key: String, to replica: PeerProcess) async throws -> HTTPAnswer {
        try await send(
            .POST, "https://127.0.0.1:\(replica.port)/apis/\(Self.group)/v1alpha1/gandi", as: .frontProxy,
            headers: frontProxyHeaders(user: Self.certManager, groups: ["system:serviceaccounts", "system:serviceaccounts:cert-manager"]),
            body: challengePayload(action: action, key: key, config: nil)
        )
    }

    /// Sends `action` for every key at once, spread over `replicas`; every answer must succeed.
    func concurrently(_ action: String, keys: [String], replicas: [PeerProcess]) async throws {
        try await withThrowingTaskGroup(of: (String, HTTPAnswer).self) { group in
            for (index, key) in keys.enumerated() {
                let replica = replicas[index % replicas.count]
                group.addTask { (key, try await challenge(action, key: key, to: replica)) }
            }
            for try await (key, answer) in group {
                #expect(answer.challengeSucceeded == true, "\(action) \(key): \(answer.body)")
            }
        }
    }

    @Test("16 Presents of different keys on one name over two replicas leave 16 values; 16 CleanUps leave none")
    func replicasKeepEveryValue() async throws {
        let api = try await startAPI()
        defer { api.stop() }
        // A lock Lease a replica left two days ago: the first replica to start removes it.
        let twoDaysAgo = ISO8601DateFormatter().string(from: Date().addingTimeInterval(-2 * 86_400)).replacingOccurrences(of: "Z", with: ".000000Z")
        try await api.plantLease([
            "apiVersion": "coordination.k8s.io/v1", "kind": "Lease",
            "metadata": ["name": "dns01-lock-left-behind", "namespace": Self.namespace, "labels": ["app.kubernetes.io/managed-by": "dns01-webhook", "dns01-webhook/lock": "record-name"]],
            "spec": ["holderIdentity": "webhook-gone", "leaseDurationSeconds": 13, "acquireTime": twoDaysAgo, "renewTime": twoDaysAgo],
        ])
        // 16 steps one after another, each with a slow write: on a loaded machine they need more
        // than the usual request timeout (the last would fail as cert-manager would retry it).
        let replicas = [
            try await startReplica("webhook-0", api: api, requestTimeoutSeconds: 30), try await startReplica("webhook-1", api: api, requestTimeoutSeconds: 30),
        ]
        defer {
            for replica in replicas { replica.stop() }
        }
        let keys = (0..<16).map { "replica-value-\($0)" }
        // Slow writes widen the window in which unlocked replicas drop each other's values
        // (without the lock this run ends with fewer than 16, every Present having succeeded).
        try await emulator.admin("POST", "/__admin/faults", ["delayMs": 150, "actions": ["replaceRRSet"]])
        #expect(try await api.leases().isEmpty, "the left Lease was not removed at start-up")

        try await concurrently("Present", keys: keys, replicas: replicas)
        #expect(try await values() == keys.sorted())
        try await concurrently("CleanUp", keys: keys, replicas: replicas)
        #expect(try await values() == [])

        // Through the Leases: each step took one, from both replicas, and gave it back.
        let creates = try await api.requests().filter { $0["method"] as? String == "POST" && ($0["path"] as? String)?.hasSuffix("/leases") == true }
        #expect(creates.count >= 32)
        #expect(Set(creates.compactMap { (($0["body"] as? [String: Any])?["spec"] as? [String: Any])?["holderIdentity"] as? String }) == ["webhook-0", "webhook-1"])
        #expect(try await api.leases().isEmpty)
    }

    @Test("a replica killed while holding the lock holds the others up no longer than its Lease; its challenge, retried, succeeds")
    func killedReplica() async throws {
        let api = try await startAPI()
        defer { api.stop() }
        let doomed = try await startReplica("webhook-doomed", api: api)
        defer { doomed.stop() }
        let survivor = try await startReplica("webhook-survivor", api: api)
        defer { survivor.stop() }

        // The doomed replica's first Gandi call hangs, inside the lock.
        try await emulator.admin("POST", "/__admin/faults", ["delayMs": 30_000, "delayCount": 1])
        let stuck = Task { try? await challenge("Present", key: "from-the-doomed", to: doomed) }
        let locked = await eventually(timeout: .seconds(10)) { (try? await api.leases().count) == 1 }
        try #require(locked, "the doomed replica never took the lock")
        kill(doomed.process.processIdentifier, SIGKILL)
        let killed = ContinuousClock.now
        _ = await stuck.value

        // cert-manager retries a failed challenge; so does this test, until it succeeds.
        var firstFailure: String?
        while true {
            let answer = try await challenge("Present", key: "from-the-survivor", to: survivor)
            if answer.challengeSucceeded == true { break }
            firstFailure = firstFailure ?? answer.challengeMessage
            try #require(ContinuousClock.now - killed < .seconds(Self.leaseSeconds * 3), "still locked: \(answer.body)")
            try await Task.sleep(for: .seconds(1))
        }
        let delay = ContinuousClock.now - killed
        #expect(firstFailure?.contains("held by webhook-doomed") == true, "\(firstFailure ?? "no failure")")
        #expect(delay <= .seconds(Self.leaseSeconds + 3), "held up for \(delay)")

        // The killed replica's challenge, retried by cert-manager, lands on the survivor.
        let retried = try await challenge("Present", key: "from-the-doomed", to: survivor)
        #expect(retried.challengeSucceeded == true, "\(retried.body)")
        #expect(try await values() == ["from-the-doomed", "from-the-survivor"])
        for key in ["from-the-doomed", "from-the-survivor"] {
            #expect(try await challenge("CleanUp", key: key, to: survivor).challengeSucceeded == true)
        }
        #expect(try await values() == [])
        #expect(try await api.leases().isEmpty)
    }

    @Test("without RBAC for Leases the challenge fails naming the permission and the chart value, and nothing is written")
    func noLeaseRBAC() async throws {
        let api = try await startAPI()
        defer { api.stop() }
        try await api.update([
            "rules": FakeKubeAPIServer.webhookRules + [
                ["effect": "allow", "users": [FakeKubeAPIServer.webhookUser], "verbs": ["get"], "resources": ["secrets"], "namespaces": [Self.namespace]],
                ["effect": "allow", "users": [Self.certManager], "verbs": ["create"], "apiGroups": [Self.group], "resources": ["gandi"]],
            ]
        ])
        let replica = try await startReplica("webhook-0", api: api)
        defer { replica.stop() }
        let answer = try await challenge("Present", key: "unlocked", to: replica)
        #expect(answer.challengeSucceeded == false, "\(answer.status) \(answer.body)")
        let message = answer.challengeMessage ?? ""
        #expect(message.contains("may not create leases (coordination.k8s.io) in the namespace cert-manager"), "\(message)")
        #expect(message.contains("nameLocks.enabled=true"), "\(message)")
        #expect(try await values() == [])
    }

    // MARK: CLI processes

    func cli(_ action: String, key: String, stateDirectory: String) -> [String] {
        [
            action, "--config", "\(directory)/config.yaml", "--secrets", "\(directory)/secrets.yaml", "--namespace", Self.namespace,
            "--fqdn", "_acme-challenge.example.com.", "--key", key, "--state-dir", stateDirectory, "--lock-timeout", "60s",
        ]
    }

    func concurrently(_ action: String, keys: [String], stateDirectory: String) async throws {
        try await withThrowingTaskGroup(of: (String, CommandResult).self) { group in
            for key in keys {
                let arguments = cli(action, key: key, stateDirectory: stateDirectory)
                group.addTask { (key, try await runCommand(webhookBinary, arguments)) }
            }
            for try await (key, result) in group {
                #expect(result.status == 0, "\(action) \(key): \(result.stderr)")
            }
        }
    }

    @Test("16 CLI presents on one name at once leave 16 values; 16 cleanups leave none")
    func cliProcessesKeepEveryValue() async throws {
        let state = try makeTemporaryDirectory("cli-state")
        let keys = (0..<16).map { "cli-value-\($0)" }
        try await concurrently("present", keys: keys, stateDirectory: state)
        #expect(try await values() == keys.sorted())
        try await concurrently("cleanup", keys: keys, stateDirectory: state)
        #expect(try await values() == [])
        #expect(FileManager.default.fileExists(atPath: "\(state)/locks/_acme-challenge.example.com.lock"))
    }

    @Test("a CLI process killed while holding the lock frees the name at once")
    func killedCLIProcess() async throws {
        let state = try makeTemporaryDirectory("cli-state")
        try await emulator.admin("POST", "/__admin/faults", ["delayMs": 30_000, "delayCount": 1])
        let doomed = try await PeerProcess.start(webhookBinary, cli("present", key: "doomed", stateDirectory: state), expectJSONLine: false)
        defer { doomed.stop() }
        // Its Gandi call hangs inside the lock: wait until the lock file is locked.
        let lockFile = "\(state)/locks/_acme-challenge.example.com.lock"
        let held = await eventually(timeout: .seconds(10)) { Self.isLocked(lockFile) }
        try #require(held, "the doomed process never took the lock: \(doomed.stderrText)")
        // And its call is the one the emulator holds (the delay is taken), not the next process's.
        let callHeld = await eventually(timeout: .seconds(10)) {
            let faults = (try? await emulator.admin("GET", "/__admin/faults"))?["faults"] as? [String: Any]
            return faults?["delayCount"] as? Int == 0
        }
        try #require(callHeld, "the doomed process's Gandi call never reached the emulator: \(doomed.stderrText)")
        kill(doomed.process.processIdentifier, SIGKILL)
        let result = try await runCommand(webhookBinary, cli("present", key: "after", stateDirectory: state) + ["--lock-timeout", "5s"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try await values() == ["after"])
        _ = try await runCommand(webhookBinary, cli("cleanup", key: "after", stateDirectory: state))
    }

    /// Whether another process holds the flock on `path`.
    static func isLocked(_ path: String) -> Bool {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        return flock(descriptor, LOCK_EX | LOCK_NB) != 0
    }
}
