import DNS01
import Foundation
import Kubernetes
import KubernetesLeases
import Logging
import ProviderKit
import WebhookSetup

/// The record-name lock's share of a challenge, printed under `dns01-bench providers`: what
/// acquiring and releasing it adds to one Present or CleanUp of a read-modify-write provider,
/// alone and with 16 challenges on one name at once (spread over two lock instances, as over
/// two replicas), for the Lease lock of `serve` (against the fake kube-apiserver on 127.0.0.1)
/// and the file lock of the CLI.
enum NameLockBench {
    /// How long each holder keeps the lock in the contended run: about a warm read-modify-write
    /// provider step against a local emulator.
    static let hold = Duration.milliseconds(10)

    static func report(rounds: Int) async {
        print("\nrecord-name lock (readModifyWriteSet providers only)")
        print("lock                 apiserver calls/step  alone p50 ms  alone p90 ms  16 at once: added p50 ms  p90 ms  max ms  (each holds \(Int(hold.milliseconds)) ms)")
        do {
            let api = try FakeAPIServer.start()
            defer { api.stop() }
            let client = KubernetesClient(connection: try Kubeconfig.load(path: api.kubeconfig).connection(), logger: Logger(label: "bench"))
            let locks = ["bench-0", "bench-1"].map {
                LeaseRecordNameLock(client: client, namespace: "bench", holder: $0, challengeDeadline: .seconds(25), logger: Logger(label: "bench"))
            }
            let before = try await api.requestCount()
            let alone = try await uncontended(locks[0], rounds: rounds)
            let calls = (try await api.requestCount() - before) / (rounds + 1)
            let contended = try await contended(locks)
            print(row("Lease (fake apiserver)", calls: "\(calls)", alone: alone, contended: contended))
        } catch {
            print("Lease (fake apiserver) not measured: \(error)")
        }
        do {
            let directory = NSTemporaryDirectory() + "dns01-bench-locks-\(UUID().uuidString)"
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let lock = FileRecordNameLock(directory: directory)
            let alone = try await uncontended(lock, rounds: rounds)
            let contended = try await contended([lock, lock])
            print(row("flock (CLI)", calls: "0", alone: alone, contended: contended))
        } catch {
            print("flock (CLI) not measured: \(error)")
        }
        print("(alone: acquire + release, \(rounds) steps after one warm-up; 16 at once: each step's time from asking to release, less its \(Int(hold.milliseconds)) ms hold)")
    }

    private static func name(_ label: String) throws -> RecordNameLockName {
        RecordNameLockName(recordName: try DomainName("_acme-challenge.\(label).example.com"))
    }

    private static func uncontended<Lock: RecordNameLock>(_ lock: Lock, rounds: Int) async throws -> [Duration] {
        var times: [Duration] = []
        for round in -1..<rounds {
            let start = ContinuousClock.now
            let hold = try await lock.acquire(try name("alone\(round)"), deadline: .now + .seconds(25))
            try await lock.release(hold)
            if round >= 0 { times.append(ContinuousClock.now - start) }
        }
        return times.sorted()
    }

    private static func contended<Lock: RecordNameLock>(_ locks: [Lock]) async throws -> [Duration] {
        let shared = try name("contended")
        return try await withThrowingTaskGroup(of: Duration.self) { group in
            for index in 0..<16 {
                let lock = locks[index % locks.count]
                group.addTask {
                    let start = ContinuousClock.now
                    let held = try await lock.acquire(shared, deadline: .now + .seconds(60))
                    try await Task.sleep(for: hold)
                    try await lock.release(held)
                    return ContinuousClock.now - start - hold
                }
            }
            var times: [Duration] = []
            for try await time in group { times.append(time) }
            return times.sorted()
        }
    }

    private static func row(_ label: String, calls: String, alone: [Duration], contended: [Duration]) -> String {
        func ms(_ d: Duration) -> String { String(format: "%.2f", d.seconds * 1000) }
        func p90(_ samples: [Duration]) -> Duration { samples[min(samples.count - 1, samples.count * 9 / 10)] }
        return label.padding(21) + calls.padding(22) + ms(median(alone)).padding(14) + ms(p90(alone)).padding(14)
            + ms(median(contended)).padding(27) + ms(p90(contended)).padding(8) + ms(contended.last ?? .zero)
    }
}

/// `Tests/Peers/fake_kube_apiserver.py` with a fresh PKI (`pki.py`), RBAC off.
private final class FakeAPIServer {
    let kubeconfig: String
    private let child: ChildProcess
    private let adminURL: String

    private init(kubeconfig: String, child: ChildProcess, adminURL: String) {
        self.kubeconfig = kubeconfig
        self.child = child
        self.adminURL = adminURL
    }

    static func start() throws -> FakeAPIServer {
        let directory = NSTemporaryDirectory() + "dns01-bench-kube-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let peers = "\(benchRepositoryRoot)/Tests/Peers"
        let pki = Process()
        pki.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        pki.arguments = ["python3", "\(peers)/pki.py", "\(directory)/pki"]
        pki.standardOutput = FileHandle.nullDevice
        try pki.run()
        pki.waitUntilExit()
        guard pki.terminationStatus == 0 else { throw BenchError("pki.py failed") }
        try Data(#"{"enforceRBAC": false}"#.utf8).write(to: URL(fileURLWithPath: "\(directory)/state.json"))
        let kubeconfig = "\(directory)/kubeconfig.yaml"
        let child = try ChildProcess(
            "/usr/bin/env",
            [
                "python3", "\(peers)/fake_kube_apiserver.py", "--pki", "\(directory)/pki", "--port", "0",
                "--state", "\(directory)/state.json", "--kubeconfig-out", kubeconfig,
            ])
        guard let adminURL = child.adminURL else { throw BenchError("the fake apiserver did not announce its admin URL") }
        return FakeAPIServer(kubeconfig: kubeconfig, child: child, adminURL: adminURL)
    }

    /// Requests the fake apiserver has answered (its admin request log).
    func requestCount() async throws -> Int {
        let response = try await AsyncHTTPClientTransport().send(APIRequest(method: "GET", url: adminURL + "/__admin/requests"), timeout: .seconds(10))
        let object = try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any]
        return (object?["requests"] as? [Any])?.count ?? 0
    }

    func stop() { child.stop() }
}
