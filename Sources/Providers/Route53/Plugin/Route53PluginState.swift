import ProviderKit
import Synchronization

/// What a Route53 plugin keeps across challenges: temporary credentials, zone lookups, one
/// change batcher per hosted zone and identity, and the newest change per zone not yet known
/// to be INSYNC (for read-backs that must see it).
final class Route53PluginState: Sendable {
    let credentials = ExpiringCache<String, AWSCredentials>(maximumEntries: 4096)
    let zones = ExpiringCache<String, [HostedZone]>(maximumEntries: 16_384)
    private let batchers = Mutex<[String: ChangeBatcher]>([:])
    private let pendingChanges = Mutex<[String: String]>([:])
    let limits: ChangeBatcher.Limits

    init(limits: ChangeBatcher.Limits) {
        self.limits = limits
    }

    func batcher(for key: String) -> ChangeBatcher {
        batchers.withLock { batchers in
            if let batcher = batchers[key] { return batcher }
            // Bounded: batchers are cheap to recreate, and an idle one holds nothing.
            if batchers.count >= 16_384 { batchers.removeAll() }
            let batcher = ChangeBatcher(limits: limits)
            batchers[key] = batcher
            return batcher
        }
    }

    func notePending(_ changeID: String, zoneKey: String) {
        pendingChanges.withLock { $0[zoneKey] = changeID }
    }

    func pendingChange(zoneKey: String) -> String? {
        pendingChanges.withLock { $0[zoneKey] }
    }

    func markInSync(_ changeID: String, zoneKey: String) {
        pendingChanges.withLock { if $0[zoneKey] == changeID { $0[zoneKey] = nil } }
    }
}
