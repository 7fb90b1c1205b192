import ProviderKit
import Synchronization

/// The ids of records this process created recently, by account, domain, name and value.
///
/// DNSPod's record list lags behind writes (the SDK documents up to about 30 s), so a clean-up
/// right after its present may not see the record it has to delete. Clean-up therefore also
/// considers the ids remembered here, and deletes one only after `DescribeRecord` confirms it
/// still holds the challenge's value at its name.
final class CreatedRecordMemory: Sendable {
    struct Key: Hashable, Sendable {
        var account: AccountKey
        var domainId: Int64
        var subDomain: String
        var value: String
    }

    private struct Entry {
        var ids: Set<Int64>
        var expires: ContinuousClock.Instant
    }

    private let entries = Mutex<[Key: Entry]>([:])
    private let lifetime: Duration
    private let maximumEntries: Int

    init(lifetime: Duration = .seconds(600), maximumEntries: Int = 4096) {
        self.lifetime = lifetime
        self.maximumEntries = maximumEntries
    }

    func remember(_ id: Int64, for key: Key) {
        let now = ContinuousClock.now
        entries.withLock { entries in
            if entries.count >= maximumEntries { entries = entries.filter { $0.value.expires > now } }
            if entries.count >= maximumEntries { entries.removeAll() }
            var entry = entries[key].flatMap { $0.expires > now ? $0 : nil } ?? Entry(ids: [], expires: now)
            entry.ids.insert(id)
            entry.expires = now + lifetime
            entries[key] = entry
        }
    }

    func ids(for key: Key) -> Set<Int64> {
        let now = ContinuousClock.now
        return entries.withLock { entries in
            guard let entry = entries[key], entry.expires > now else { return [] }
            return entry.ids
        }
    }

    func forget(_ key: Key) {
        _ = entries.withLock { $0.removeValue(forKey: key) }
    }
}
