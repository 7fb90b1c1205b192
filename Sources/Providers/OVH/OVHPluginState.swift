import ProviderKit
import Synchronization

/// What an ovh plugin keeps across challenges: zone lists, clock offsets per endpoint, OAuth2
/// tokens per client, and, for consumer keys that may not list zones (the rights the OVH
/// webhooks' READMEs ask for are `/domain/zone/*`, not `/domain/zone`), the zone each name
/// was found in by asking for its ancestors one by one.
final class OVHPluginState: Sendable {
    let zoneLists = ZoneFinder<OVHZone>.Cache()
    let clockOffsets = ExpiringCache<String, Int64>()
    let tokens = ExpiringCache<OVHOAuth2TokenSource.Settings, OVHOAuth2TokenSource.Token>()
    let probedZones = ExpiringCache<AccountScopedKey<String>, OVHZone>(maximumEntries: 4096)
    private let listingRefused = Mutex<Set<AccountKey>>([])

    /// How long a probed zone is reused, as long as a listed one.
    static let probedZoneLifetime: Duration = .seconds(300)

    func mayListZones(_ account: AccountKey) -> Bool {
        !listingRefused.withLock { $0.contains(account) }
    }

    func noteListingRefused(_ account: AccountKey) {
        listingRefused.withLock { set in
            if set.count >= 4096 { set.removeAll() }
            set.insert(account)
        }
    }
}
