import DNS01
import Foundation
import Kubernetes
import KubernetesLeases
import Logging
import ProviderKit
import Synchronization
import TestSupport
import Testing
import WebhookSetup

/// The Lease-based record-name lock against the fake apiserver, whose Leases have the real
/// optimistic concurrency (409 on a create of an existing name or a stale resourceVersion).
@Suite("Record-name lock on Kubernetes Leases")
struct LeaseRecordNameLockTests {
    static let namespace = "cert-manager"
    static let name = RecordNameLockName(recordName: try! DomainName("_acme-challenge.example.com"), zone: try! DomainName("example.com"))

    private func withAPI(rules: [[String: Any]] = FakeKubeAPIServer.leaseRules(namespace: namespace), _ body: (KubernetesClient, FakeKubeAPIServer) async throws -> Void) async throws {
        let api = try await FakeKubeAPIServer.start(pki: .shared, state: ["rules": rules])
        defer { api.stop() }
        let connection = try Kubeconfig.load(path: api.kubeconfig).connection()
        try await body(KubernetesClient(connection: connection, logger: Logger(label: "test")), api)
    }

    private func lock(_ client: KubernetesClient, holder: String, deadline: Duration = .seconds(4)) -> LeaseRecordNameLock {
        LeaseRecordNameLock(client: client, namespace: Self.namespace, holder: holder, challengeDeadline: deadline, logger: Logger(label: "test"))
    }

    private static func soon(_ duration: Duration) -> ContinuousClock.Instant { .now + duration }

    @Test("a lock is a labelled Lease held by the pod, lasting a little longer than the challenge, deleted on release")
    func leaseLifecycle() async throws {
        try await withAPI { client, api in
            let lock = lock(client, holder: "webhook-0", deadline: .seconds(25))
            let hold = try await lock.acquire(Self.name, deadline: Self.soon(.seconds(5)))
            let leases = try await api.leases()
            try #require(leases.count == 1)
            let metadata = leases[0]["metadata"] as? [String: Any] ?? [:]
            let spec = leases[0]["spec"] as? [String: Any] ?? [:]
            #expect(metadata["name"] as? String == LeaseRecordNameLock.leaseName(for: Self.name))
            #expect(metadata["namespace"] as? String == Self.namespace)
            #expect(metadata["labels"] as? [String: String] == LeaseRecordNameLock.labels)
            #expect((metadata["annotations"] as? [String: String])?["dns01-webhook/record-name"] == "_acme-challenge.example.com.")
            #expect(spec["holderIdentity"] as? String == "webhook-0")
            #expect(spec["leaseDurationSeconds"] as? Int == 31)
            #expect((spec["acquireTime"] as? String)?.hasSuffix(".000000Z") == true)
            try await lock.release(hold)
            #expect(try await api.leases().isEmpty)
        }
    }

    @Test("Lease names are DNS-1123 labels, the same for one record name in any case, different for others")
    func leaseNames() throws {
        let upper = RecordNameLockName(recordName: try DomainName("_ACME-Challenge.Example.COM."), zone: nil)
        let other = RecordNameLockName(recordName: try DomainName("_acme-challenge.example.org"), zone: nil)
        let name = LeaseRecordNameLock.leaseName(for: Self.name)
        #expect(KubernetesName.isValidLabel(name))
        #expect(LeaseRecordNameLock.leaseName(for: upper) == name, "the zone hint and the case do not split a lock")
        #expect(LeaseRecordNameLock.leaseName(for: other) != name)
    }

    @Test("a held name makes a second holder wait until the deadline, naming the holder; after release it gets it")
    func heldNameWaits() async throws {
        try await withAPI { client, _ in
            let first = lock(client, holder: "webhook-0")
            let second = lock(client, holder: "webhook-1")
            let hold = try await first.acquire(Self.name, deadline: Self.soon(.seconds(5)))
            await #expect {
                _ = try await second.acquire(Self.name, deadline: Self.soon(.milliseconds(600)))
            } throws: { error in
                guard let error = error as? DNS01Error else { return false }
                return error.code == .timedOut && error.message.contains("held by webhook-0") && error.message.contains("nothing was written")
            }
            try await first.release(hold)
            let next = try await second.acquire(Self.name, deadline: Self.soon(.seconds(5)))
            try await second.release(next)
        }
    }

    @Test("16 holders on two replicas' locks never overlap, and each gets the lock")
    func mutualExclusion() async throws {
        try await withAPI { client, api in
            let replicas = [lock(client, holder: "webhook-0"), lock(client, holder: "webhook-1")]
            let inside = Occupancy()
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<16 {
                    let lock = replicas[index % 2]
                    group.addTask {
                        let hold = try await lock.acquire(Self.name, deadline: Self.soon(.seconds(30)))
                        inside.enter()
                        try await Task.sleep(for: .milliseconds(10))
                        inside.leave()
                        try await lock.release(hold)
                    }
                }
                try await group.waitForAll()
            }
            let seen = inside.seen
            #expect(seen.entries == 16)
            #expect(seen.most == 1)
            #expect(try await api.leases().isEmpty)
        }
    }

    @Test("a Lease left by a holder that died is taken over once expired, with a transition counted")
    func expiredLeaseTakenOver() async throws {
        try await withAPI { client, api in
            try await api.plantLease(Self.leftLease(holder: "dead-pod", renewed: UTCTimestamp.now() + -120, duration: 30))
            let lock = lock(client, holder: "webhook-1")
            let hold = try await lock.acquire(Self.name, deadline: Self.soon(.seconds(3)))
            let lease = try #require(try await api.leases().first)
            let spec = lease["spec"] as? [String: Any] ?? [:]
            #expect(spec["holderIdentity"] as? String == "webhook-1")
            #expect(spec["leaseTransitions"] as? Int == 1)
            try await lock.release(hold)
            #expect(try await api.leases().isEmpty)
        }
    }

    @Test("a holder that died a moment ago blocks the name only until its Lease expires")
    func deadHolderBlocksUntilExpiry() async throws {
        try await withAPI { client, api in
            try await api.plantLease(Self.leftLease(holder: "killed-pod", renewed: UTCTimestamp.now(), duration: 2))
            let lock = lock(client, holder: "webhook-1")
            // Within a deadline well above the 2 s Lease, well below what waiting forever would take.
            let hold = try await lock.acquire(Self.name, deadline: Self.soon(.seconds(8)))
            let spec = try #require(try await api.leases().first)["spec"] as? [String: Any] ?? [:]
            #expect(spec["holderIdentity"] as? String == "webhook-1")
            try await lock.release(hold)
        }
    }

    @Test("a release after the Lease expired and was taken over leaves the new holder's Lease alone")
    func releaseAfterTakeover() async throws {
        try await withAPI { client, api in
            let slow = lock(client, holder: "webhook-0")
            let stale = try await slow.acquire(Self.name, deadline: Self.soon(.seconds(3)))
            // The Lease as it would be after expiring and being taken over by webhook-1.
            var taken = Self.leftLease(holder: "webhook-1", renewed: UTCTimestamp.now(), duration: 30)
            taken["metadata"] = (taken["metadata"] as? [String: Any] ?? [:]).merging(["labels": LeaseRecordNameLock.labels]) { $1 }
            try await api.plantLease(taken)
            try await slow.release(stale)
            let spec = try #require(try await api.leases().first)["spec"] as? [String: Any] ?? [:]
            #expect(spec["holderIdentity"] as? String == "webhook-1")
        }
    }

    @Test("without RBAC on Leases the error names the permission, the namespace and the chart value")
    func forbidden() async throws {
        try await withAPI(rules: []) { client, _ in
            await #expect {
                _ = try await lock(client, holder: "webhook-0").acquire(Self.name, deadline: Self.soon(.seconds(3)))
            } throws: { error in
                guard let error = error as? DNS01Error else { return false }
                return error.message.contains("may not create leases (coordination.k8s.io) in the namespace cert-manager")
                    && error.message.contains("get, create, update and delete")
                    && error.message.contains("nameLocks.enabled=true")
                    && error.message.contains("nothing was written")
            }
        }
    }

    @Test("an unreachable apiserver fails the lock at once with that cause")
    func unreachable() async throws {
        let closedPort = try await FakeKubeAPIServer.start(pki: .shared, state: [:])
        let connection = try Kubeconfig.load(path: closedPort.kubeconfig).connection()
        closedPort.stop()
        let client = KubernetesClient(connection: connection, requestTimeout: .seconds(2), logger: Logger(label: "test"))
        await #expect {
            _ = try await lock(client, holder: "webhook-0").acquire(Self.name, deadline: Self.soon(.seconds(20)))
        } throws: { error in
            guard let error = error as? DNS01Error else { return false }
            return error.code == .providerUnavailable && error.message.contains("the Kubernetes API is unreachable") && error.message.contains("nothing was written")
        }
    }

    @Test("the start-up sweep removes only lock Leases older than a day")
    func sweep() async throws {
        try await withAPI { client, api in
            var old = Self.leftLease(holder: "gone-pod", renewed: UTCTimestamp.now() + -2 * 86_400, duration: 30)
            old["metadata"] = ["name": "dns01-lock-old", "namespace": Self.namespace, "labels": LeaseRecordNameLock.labels]
            var recent = Self.leftLease(holder: "busy-pod", renewed: UTCTimestamp.now() + -60, duration: 30)
            recent["metadata"] = ["name": "dns01-lock-recent", "namespace": Self.namespace, "labels": LeaseRecordNameLock.labels]
            var foreign = Self.leftLease(holder: "other", renewed: UTCTimestamp.now() + -3 * 86_400, duration: 30)
            foreign["metadata"] = ["name": "someone-elses", "namespace": Self.namespace]
            for lease in [old, recent, foreign] { try await api.plantLease(lease) }
            #expect(try await lock(client, holder: "webhook-0").sweep() == 1)
            let names = try await api.leases().compactMap { ($0["metadata"] as? [String: Any])?["name"] as? String }.sorted()
            #expect(names == ["dns01-lock-recent", "someone-elses"])
        }
    }

    static func leftLease(holder: String, renewed: UTCTimestamp, duration: Int) -> [String: Any] {
        let time = String(renewed.iso8601.dropLast()) + ".000000Z"
        return [
            "apiVersion": "coordination.k8s.io/v1", "kind": "Lease",
            "metadata": ["name": LeaseRecordNameLock.leaseName(for: name), "namespace": namespace],
            "spec": ["holderIdentity": holder, "leaseDurationSeconds": duration, "acquireTime": time, "renewTime": time],
        ]
    }
}

/// The dispatcher with the Lease lock, when the apiserver is gone.
@Suite("Dispatcher with the Lease lock and no apiserver")
struct LeaseLockDispatcherTests {
    @Test("a read-modify-write step fails with the unreachable apiserver as its cause, within its deadline, and writes nothing")
    func unreachableApiserverNeverWritesUnlocked() async throws {
        let gone = try await FakeKubeAPIServer.start(pki: .shared, state: [:])
        let connection = try Kubeconfig.load(path: gone.kubeconfig).connection()
        gone.stop()
        let writes = WriteCounter()
        var registry = ProviderRegistry()
        registry.register(ReadModifyWritePlugin(writes: writes))
        let deadline = Duration.seconds(6)
        let locking = NameLocking.forServe(
            kubernetes: KubernetesClient(connection: connection, logger: Logger(label: "test")), challengeDeadline: deadline,
            environment: ["POD_NAMESPACE": "cert-manager", "POD_NAME": "webhook-0"], logger: Logger(label: "test")
        )
        let dispatcher = try ChallengeDispatcher(
            registry: registry, defaultConfig: nil, secrets: StaticSecretSource([:]), logger: Logger(label: "test"), environment: [:], nameLocking: locking
        )
        let challenge = Challenge(
            action: .present, dnsName: try DomainName("example.com"), resolvedFQDN: try DomainName("_acme-challenge.example.com"),
            key: "k", resourceNamespace: "cert-manager", config: [:]
        )
        let started = ContinuousClock.now
        await #expect {
            try await dispatcher.perform(challenge, solver: "rmw-test")
        } throws: { error in
            guard let error = error as? DNS01Error else { return false }
            return error.message.contains("cannot lock _acme-challenge.example.com.: the Kubernetes API is unreachable") && error.message.contains("nothing was written")
        }
        #expect(ContinuousClock.now - started < deadline)
        #expect(writes.count == 0)
    }
}

final class WriteCounter: Sendable {
    private let writes = Mutex(0)
    func add() { writes.withLock { $0 += 1 } }
    var count: Int { writes.withLock { $0 } }
}

/// A provider that rewrites whole sets without a precondition, counting its writes.
struct ReadModifyWritePlugin: ProviderPlugin {
    let writes: WriteCounter
    static var descriptor: ProviderDescriptor {
        var descriptor = ProviderDescriptor.forTests("rmw-test")
        descriptor.recordModel = .readModifyWriteSet
        return descriptor
    }

    func decodeConfiguration(_ block: ConfigValue, at path: ConfigPath, source: ConfigSource) throws(DNS01Error) -> Int { 0 }

    func makeProvider(for configuration: Int, context: ProviderContext) async throws -> any DNSProvider { Provider(writes: writes) }

    struct Provider: DNSProvider {
        let writes: WriteCounter
        func present(_ challenge: Challenge) async throws { writes.add() }
        func cleanUp(_ challenge: Challenge) async throws { writes.add() }
        func txtValues(at fqdn: DomainName, zone: DomainName?) async throws -> [String] { [] }
    }
}

@Suite("Record-name lock: waiters within one replica")
struct LeaseLocalQueueTests {
    @Test("a challenge waiting behind another of the same replica does not poll the apiserver, and times out at its deadline")
    func localWaiters() async throws {
        let api = try await FakeKubeAPIServer.start(pki: .shared, state: ["rules": FakeKubeAPIServer.leaseRules(namespace: "cert-manager")])
        defer { api.stop() }
        let client = KubernetesClient(connection: try Kubeconfig.load(path: api.kubeconfig).connection(), logger: Logger(label: "test"))
        let lock = LeaseRecordNameLock(client: client, namespace: "cert-manager", holder: "webhook-0", challengeDeadline: .seconds(5), logger: Logger(label: "test"))
        let name = LeaseRecordNameLockTests.name
        let hold = try await lock.acquire(name, deadline: .now + .seconds(5))
        let before = try await api.requests().count
        await #expect {
            _ = try await lock.acquire(name, deadline: .now + .milliseconds(500))
        } throws: { error in
            (error as? DNS01Error)?.message.contains("held by earlier challenges in this replica (webhook-0)") == true
        }
        #expect(try await api.requests().count == before, "the waiter asked the apiserver")
        // Handed over at release: the next waiter gets it without waiting for a poll.
        async let next = lock.acquire(name, deadline: .now + .seconds(5))
        try await Task.sleep(for: .milliseconds(100))
        try await lock.release(hold)
        try await lock.release(try await next)
        #expect(try await api.leases().isEmpty)
    }
}
