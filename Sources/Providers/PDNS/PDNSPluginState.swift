import ProviderKit
import Synchronization

/// What a pdns plugin keeps across challenges, per server and API key (`AccountKey`): zone
/// lists, the server's version, servers that turned out not to know `EXTEND`/`PRUNE` whatever
/// their version says, and the writer that serializes `REPLACE` read-modify-writes per name.
final class PDNSPluginState: Sendable {
    let zones = ZoneFinder<PDNSZone>.Cache()
    let versions = ExpiringCache<AccountKey, String>()
    let writer = ValueSetWriter<AccountScopedKey<String>>()
    private let refusingSingleValueChanges = Mutex<Set<AccountKey>>([])

    /// How long a server's version is trusted (an upgrade is noticed within this time).
    static let versionLifetime: Duration = .seconds(600)

    func refusesSingleValueChanges(_ account: AccountKey) -> Bool {
        refusingSingleValueChanges.withLock { $0.contains(account) }
    }

    func noteRefusesSingleValueChanges(_ account: AccountKey) {
        refusingSingleValueChanges.withLock { set in
            if set.count >= 4096 { set.removeAll() }
            set.insert(account)
        }
    }
}
