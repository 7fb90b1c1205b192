/// A lock on one TXT record name, shared by every process that may write it: the replicas of
/// `serve` (a Kubernetes Lease each) or the `present`/`cleanup` processes on one machine (a
/// file lock). The dispatcher takes it around Present and CleanUp for providers whose API can
/// only rewrite a record's whole value set with no precondition (`RecordModel.readModifyWriteSet`),
/// so that two writers never read the same set and each drop the other's value. Providers do
/// not take it themselves, so no provider can forget it.
public protocol RecordNameLock: Sendable {
    /// What `acquire` hands back and `release` takes (a Lease's resourceVersion, a file).
    associatedtype Hold: Sendable

    /// Waits until this caller holds the lock on `name`. Throws, without holding it, when the
    /// lock cannot be had before `deadline` or the lock's own store fails (the message says
    /// why and that nothing was written); the caller must then not write.
    func acquire(_ name: RecordNameLockName, deadline: ContinuousClock.Instant) async throws -> Hold

    /// Gives the lock up. A failure here is reported, not fatal: the lock expires by itself.
    func release(_ hold: Hold) async throws
}

/// The record name a lock is for. Locks are keyed by the record name alone: the zone a
/// provider finds for it follows from the name (and `resolvedZone` is only a hint that two
/// callers may give differently), so keying by the zone as well could give one record set two
/// locks. The zone hint is kept for people reading the lock (a Lease's annotations).
public struct RecordNameLockName: Sendable, Hashable, CustomStringConvertible {
    /// The record name, normalised (lower case, no trailing dot).
    public var recordName: DomainName
    /// The zone hint the challenge carried, if any.
    public var zone: DomainName?

    public init(recordName: DomainName, zone: DomainName? = nil) {
        self.recordName = recordName
        self.zone = zone
    }

    /// The identity of the lock: two names with equal keys share one lock.
    public var key: String { recordName.name }

    public var description: String { recordName.fqdn }
}

/// How the dispatcher locks record names: the lock, and how long a step may wait for it.
public struct NameLocking: Sendable {
    public var lock: any RecordNameLock
    /// The longest wait for the lock, counted from the moment the dispatcher starts the step
    /// (`serve`: two thirds of `--request-timeout`, leaving the rest for the step itself; the
    /// CLI: `--lock-timeout`).
    public var maximumWait: Duration

    public init(lock: any RecordNameLock, maximumWait: Duration) {
        self.lock = lock
        self.maximumWait = maximumWait
    }
}
