import ProviderKit
import Synchronization

/// What a Route53 plugin keeps across challenges: temporary credentials, zone lists, one
/// change batcher per hosted zone and identity, one request pacer per account, and the newest change per zone not yet known
/// to be INSYNC (for read-backs that must see it).
final class Route53PluginState: Sendable {
    /// A hosted zone within one account (endpoint and credential identity).
    typealias ZoneKey = AccountScopedKey<String>

    let credentials = ExpiringCache<String, AWSCredentials>(maximumEntries: 4096)
    let zones = ZoneFinder<PublicHostedZone>.Cache(maximumEntries: 1024)
    private let batchers = Mutex<[ZoneKey: ChangeBatcher]>([:])
    private let pacers = Mutex<[AccountKey: RequestPacer]>([:])
    let requestsPerSecond: Double?
    private let pendingChanges = Mutex<[ZoneKey: String]>([:])
    let limits: ChangeBatcher.Limits

    init(limits: ChangeBatcher.Limits, requestsPerSecond: Double?) {
        self.limits = limits
        self.requestsPerSecond = requestsPerSecond
    }

    /// The pacer of one account (endpoint and identity), or none when pacing is off.
    func pacer(for key: AccountKey) -> RequestPacer? {
        guard let requestsPerSecond else { return nil }
        return pacers.withLock { pacers in
            if let pacer = pacers[key] { return pacer }
            if pacers.count >= 4096 { pacers.removeAll() }
            let pacer = RequestPacer(requestsPerSecond: requestsPerSecond, burst: max(1, requestsPerSecond.rounded(.down)))
            pacers[key] = pacer
            return pacer
        }
    }

    func batcher(for key: ZoneKey) -> ChangeBatcher {
        batchers.withLock { batchers in
            if let batcher = batchers[key] { return batcher }
            // Bounded: batchers are cheap to recreate, and an idle one holds nothing.
            if batchers.count >= 16_384 { batchers.removeAll() }
            let batcher = ChangeBatcher(limits: limits)
            batchers[key] = batcher
            return batcher
        }
    }

    func notePending(_ changeID: String, zoneKey: ZoneKey) {
        pendingChanges.withLock { $0[zoneKey] = changeID }
    }

    func pendingChange(zoneKey: ZoneKey) -> String? {
        pendingChanges.withLock { $0[zoneKey] }
    }

    func markInSync(_ changeID: String, zoneKey: ZoneKey) {
        pendingChanges.withLock { if $0[zoneKey] == changeID { $0[zoneKey] = nil } }
    }
}
