import Synchronization

/// A cache whose entries expire, with single-flight loading: concurrent callers asking for the
/// same missing key share one load (one `ListHostedZones`, one `AssumeRole`), and a failed load
/// is not cached. Each load says how long its value stays valid, so temporary credentials are
/// refreshed before they expire by returning `expiry - margin`.
public final class ExpiringCache<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private struct Entry {
        var task: Task<(Value, validFor: Duration), any Error>
        var expires: ContinuousClock.Instant?
    }
    private let entries = Mutex<[Key: Entry]>([:])
    private let maximumEntries: Int

    public init(maximumEntries: Int = 1024) {
        self.maximumEntries = maximumEntries
    }

    /// The cached value for `key`, loading it when absent or expired.
    public func value(for key: Key, load: @escaping @Sendable () async throws -> (Value, validFor: Duration)) async throws -> Value {
        let now = ContinuousClock.now
        let task: Task<(Value, validFor: Duration), any Error> = entries.withLock { entries in
            if let entry = entries[key], entry.expires.map({ $0 > now }) ?? true {
                return entry.task
            }
            if entries.count >= maximumEntries {
                // Bounded memory: drop expired entries first, then everything (rare; a full
                // cache means thousands of distinct credentials).
                entries = entries.filter { $0.value.expires.map { $0 > now } ?? true }
                if entries.count >= maximumEntries { entries.removeAll() }
            }
            // Single flight: the load runs once, detached from any one caller's cancellation,
            // and every concurrent caller awaits the same task.
            let task = Task { try await load() }
            entries[key] = Entry(task: task, expires: nil)
            return task
        }
        do {
            let (value, validFor) = try await task.value
            entries.withLock { entries in
                if entries[key]?.expires == nil, entries[key] != nil {
                    entries[key]?.expires = ContinuousClock.now + validFor
                }
            }
            return value
        } catch {
            entries.withLock { entries in
                if entries[key]?.expires == nil { entries[key] = nil }
            }
            throw error
        }
    }

    /// Forgets `key` (after the provider said the cached value is wrong, e.g. a deleted zone).
    public func invalidate(_ key: Key) {
        _ = entries.withLock { $0.removeValue(forKey: key) }
    }
}
