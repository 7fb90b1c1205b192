import Crypto
import DNS01
import Kubernetes
import Logging
import ProviderKit
import Synchronization

/// The record-name lock of `serve`: one `coordination.k8s.io/v1` Lease per record name in the
/// webhook's namespace, so replicas exclude each other through the apiserver's optimistic
/// concurrency on `resourceVersion`.
///
/// - Acquire: create the Lease (holder = this pod, duration a little above the challenge
///   deadline). 409: someone holds it; read it, and if it has expired (its holder died or hung)
///   take it over by an update carrying the `resourceVersion` read (409 again: another waiter
///   won). Otherwise wait, with jittered backoff, until the deadline.
/// - Release: delete it with a `resourceVersion` precondition, so a Lease that expired and was
///   taken over meanwhile is never deleted from under its new holder.
/// - A holder that dies blocks the name until its Lease expires; a Lease left behind is taken
///   over by the next writer, or removed by `sweep` (at start-up) once older than a day.
///
/// The Lease is held for one step only (one Present or CleanUp), never renewed: the step ends
/// within the challenge deadline, and the duration outlasts it.
public struct LeaseRecordNameLock: RecordNameLock {
    public struct Hold: Sendable {
        public let name: RecordNameLockName
        public let leaseName: String
        public let resourceVersion: String
    }

    /// The labels every lock Lease carries (what `sweep` lists by, and what a user can select).
    public static let labels = ["app.kubernetes.io/managed-by": "dns01-webhook", "dns01-webhook/lock": "record-name"]
    /// The chart value that grants the Leases permission, for error messages.
    public static let chartValue = "nameLocks.enabled"

    public let client: KubernetesClient
    public let namespace: String
    /// This pod's name (`holderIdentity`).
    public let holder: String
    public let leaseDurationSeconds: Int
    private let logger: Logger
    private let observations = LeaseObservations()
    private let queue = LocalNameQueue()
    private let wallClock: @Sendable () -> UTCTimestamp

    /// - Parameter challengeDeadline: how long a challenge may take; Leases last a little longer
    ///   (a quarter more, at least 5 s), so a holder always finishes before its Lease expires.
    public init(
        client: KubernetesClient,
        namespace: String,
        holder: String,
        challengeDeadline: Duration,
        logger: Logger,
        wallClock: @escaping @Sendable () -> UTCTimestamp = UTCTimestamp.now
    ) {
        self.client = client
        self.namespace = namespace
        self.holder = holder
        let seconds = Int(challengeDeadline.components.seconds) + (challengeDeadline.components.attoseconds > 0 ? 1 : 0)
        self.leaseDurationSeconds = seconds + max(5, seconds / 4)
        self.logger = logger
        self.wallClock = wallClock
    }

    /// The Lease name for a record name: deterministic, DNS-1123 safe whatever the record name
    /// holds, and short (a hash; the record name itself is in the annotations).
    public static func leaseName(for name: RecordNameLockName) -> String {
        let digest = SHA256.hash(data: Array(name.key.utf8))
        return "dns01-lock-"
            + digest.prefix(16).map { byte in
                let hex = String(byte, radix: 16)
                return byte < 16 ? "0" + hex : hex
            }.joined()
    }

    public func acquire(_ name: RecordNameLockName, deadline: ContinuousClock.Instant) async throws -> Hold {
        // Challenges of this replica on one name queue here; only the first asks the apiserver.
        guard await queue.enter(name.key, deadline: deadline) else {
            try Task.checkCancellation()
            throw DNS01Error(
                .timedOut,
                "the lock on \(name.recordName.fqdn) is held by earlier challenges in this replica (\(holder)) and was not free before the challenge's deadline; nothing was written, and cert-manager retries the challenge"
            )
        }
        do {
            return try await acquireLease(name, deadline: deadline)
        } catch {
            queue.leave(name.key)
            throw error
        }
    }

    private func acquireLease(_ name: RecordNameLockName, deadline: ContinuousClock.Instant) async throws -> Hold {
        let leaseName = Self.leaseName(for: name)
        var backoff = Duration.milliseconds(25)
        var lastHolder: String?
        while true {
            let now = wallClock()
            let fresh = Lease(
                metadata: ObjectMeta(
                    name: leaseName, namespace: namespace, labels: Self.labels,
                    annotations: ["dns01-webhook/record-name": name.recordName.fqdn, "dns01-webhook/zone": name.zone?.fqdn ?? ""]
                ),
                spec: .init(holderIdentity: holder, leaseDurationSeconds: leaseDurationSeconds, acquireTime: now.microTime, renewTime: now.microTime, leaseTransitions: 0)
            )
            switch await outcome({ () async throws(KubernetesError) -> Lease in try await client.create(Lease.path(namespace: namespace), fresh) }) {
            case .success(let created): return try hold(created, name: name, leaseName: leaseName)
            case .failure(let error) where error.isConflict: break  // held, or left behind: is it expired?
            case .failure(let error): throw failure(error, verb: "create", name: name, leaseName: leaseName)
            }
            let current: Lease
            switch await outcome({ () async throws(KubernetesError) -> Lease in try await client.get(Lease.path(namespace: namespace, name: leaseName)) }) {
            case .success(let lease): current = lease
            case .failure(let error) where error.isNotFound: continue  // released between our create and this read
            case .failure(let error): throw failure(error, verb: "get", name: name, leaseName: leaseName)
            }
            lastHolder = current.spec.holderIdentity
            if isExpired(current, now: now) {
                var takeover = current
                takeover.spec = .init(
                    holderIdentity: holder, leaseDurationSeconds: leaseDurationSeconds, acquireTime: now.microTime, renewTime: now.microTime,
                    leaseTransitions: (current.spec.leaseTransitions ?? 0) + 1
                )
                switch await outcome({ () async throws(KubernetesError) -> Lease in try await client.replace(Lease.path(namespace: namespace, name: leaseName), takeover) }) {
                case .success(let taken):
                    logger.info("took over an expired record-name lock", metadata: ["name": "\(name)", "lease": "\(leaseName)", "previousHolder": "\(current.spec.holderIdentity ?? "")"])
                    return try hold(taken, name: name, leaseName: leaseName)
                case .failure(let error) where error.isConflict || error.isNotFound: break  // another waiter won, or it was released
                case .failure(let error): throw failure(error, verb: "update", name: name, leaseName: leaseName)
                }
            }
            // Jittered, so waiters on one name do not poll in step; bounded by the deadline.
            let pause = Duration.milliseconds(Double.random(in: 0.5...1) * (backoff / .milliseconds(1)))
            guard ContinuousClock.now + pause < deadline else {
                throw DNS01Error(
                    .timedOut,
                    "the lock on \(name.recordName.fqdn) (Lease \(namespace)/\(leaseName)) is held by \(lastHolder ?? "another replica") and was not free before the challenge's deadline; nothing was written, and cert-manager retries the challenge"
                )
            }
            try await Task.sleep(for: pause)
            backoff = min(backoff * 2, .seconds(1))
        }
    }

    public func release(_ hold: Hold) async throws {
        defer { queue.leave(hold.name.key) }
        do {
            try await client.delete(Lease.path(namespace: namespace, name: hold.leaseName), options: DeleteOptions(resourceVersion: hold.resourceVersion))
        } catch let error where error.isNotFound {
            return
        } catch let error where error.isConflict {
            // Our Lease expired and another replica holds it now: it is theirs to delete.
            logger.warning("the record-name lock had expired and was taken over before its release", metadata: ["name": "\(hold.name)", "lease": "\(hold.leaseName)"])
        } catch {
            throw failure(error, verb: "delete", name: hold.name, leaseName: hold.leaseName)
        }
    }

    /// Removes lock Leases older than `age` (holders that died, in any replica), with a
    /// `resourceVersion` precondition so a Lease taken meanwhile stays. Needs `list` on leases;
    /// a failure is returned for the caller to log, never fatal: a left Lease only costs a
    /// takeover the next time its name is written. Returns how many were removed.
    public func sweep(olderThan age: Duration = .seconds(86_400)) async throws -> Int {
        let selector = Self.labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
        let list: LeaseList
        do {
            list = try await client.get(Lease.path(namespace: namespace), query: [("labelSelector", selector)])
        } catch {
            throw failure(error, verb: "list", name: nil, leaseName: nil)
        }
        let cutoff = wallClock() + -Int64(age.components.seconds)
        var removed = 0
        for lease in list.items {
            guard let name = lease.metadata.name else { continue }
            let stamp = lease.spec.renewTime ?? lease.spec.acquireTime ?? lease.metadata.creationTimestamp
            guard let time = stamp.flatMap(UTCTimestamp.init(iso8601:)), time < cutoff else { continue }
            do {
                try await client.delete(Lease.path(namespace: namespace, name: name), options: DeleteOptions(resourceVersion: lease.metadata.resourceVersion))
                removed += 1
            } catch let error where error.isNotFound || error.isConflict {
                continue
            } catch {
                throw failure(error, verb: "delete", name: nil, leaseName: name)
            }
        }
        return removed
    }

    // MARK: -

    private func outcome<T>(_ call: () async throws(KubernetesError) -> T) async -> Result<T, KubernetesError> {
        do {
            return .success(try await call())
        } catch {
            return .failure(error)
        }
    }

    private func hold(_ lease: Lease, name: RecordNameLockName, leaseName: String) throws(DNS01Error) -> Hold {
        guard let version = lease.metadata.resourceVersion else {
            throw DNS01Error(.providerUnavailable, "the Kubernetes API answered the Lease \(namespace)/\(leaseName) without a resourceVersion; nothing was written")
        }
        return Hold(name: name, leaseName: leaseName, resourceVersion: version)
    }

    /// Expired by the Lease's own times (a holder's clock may be off, so also) or by ours: the
    /// same resourceVersion seen unchanged for longer than its duration.
    private func isExpired(_ lease: Lease, now: UTCTimestamp) -> Bool {
        guard let holder = lease.spec.holderIdentity, !holder.isEmpty else { return true }
        let duration = Int64(lease.spec.leaseDurationSeconds ?? leaseDurationSeconds)
        if let stamp = lease.spec.renewTime ?? lease.spec.acquireTime, let renewed = UTCTimestamp(iso8601: stamp) {
            if renewed + duration < now { return true }
        } else {
            return true
        }
        guard let name = lease.metadata.name, let version = lease.metadata.resourceVersion else { return false }
        return observations.unchanged(name: name, version: version, for: .seconds(duration))
    }

    private func failure(_ error: KubernetesError, verb: String, name: RecordNameLockName?, leaseName: String?) -> DNS01Error {
        let what = name.map { "lock \($0.recordName.fqdn)" } ?? "clean up left record-name locks"
        let object = leaseName.map { "Lease \(namespace)/\($0)" } ?? "Leases in \(namespace)"
        let unwritten = name == nil ? "" : "; nothing was written"
        if error.isForbidden {
            return DNS01Error(
                .forbiddenByPolicy,
                "cannot \(what): the webhook's service account may not \(verb) leases (coordination.k8s.io) in the namespace \(namespace); grant get, create, update and delete on leases there (the chart does with \(Self.chartValue)=true)\(unwritten)"
            )
        }
        if error.code == .unreachable {
            return DNS01Error(.providerUnavailable, "cannot \(what): the Kubernetes API is unreachable (\(verb) \(object): \(error.message))\(unwritten)")
        }
        return DNS01Error(.providerUnavailable, "cannot \(what): \(verb) \(object) failed: \(error.message)\(unwritten)")
    }
}

/// When each Lease's current resourceVersion was first seen, by this process's clock.
private final class LeaseObservations: Sendable {
    private struct Seen {
        var version: String
        var since: ContinuousClock.Instant
    }

    private let seen = Mutex<[String: Seen]>([:])

    func unchanged(name: String, version: String, for duration: Duration) -> Bool {
        let now = ContinuousClock.now
        return seen.withLock { seen in
            if seen.count > 4096 { seen.removeAll(keepingCapacity: true) }
            if let entry = seen[name], entry.version == version { return now - entry.since > duration }
            seen[name] = Seen(version: version, since: now)
            return false
        }
    }
}

extension UTCTimestamp {
    /// A Kubernetes MicroTime (`2026-12-06T16:35:22.000000Z`).
    var microTime: String { String(iso8601.dropLast()) + ".000000Z" }
}
