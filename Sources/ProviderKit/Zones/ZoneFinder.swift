import DNS01

/// A zone (domain, hosted zone, managed zone) of a provider account, as its API lists it.
public protocol AccountZone: Sendable {
    /// The zone's name, canonical (lower-case, punycode).
    var zoneName: DomainName { get }
}

/// An account's zones as listed at one moment.
public struct ZoneListing<Zone: AccountZone>: Sendable {
    public var zones: [Zone]
    public var loadedAt: ContinuousClock.Instant

    public init(zones: [Zone], loadedAt: ContinuousClock.Instant = .now) {
        self.zones = zones
        self.loadedAt = loadedAt
    }
}

/// Finds the zone of an account that holds a record name: the zone with the longest name that
/// the record equals or lies under, at a label boundary. cert-manager's `resolvedZone` is not
/// used for this: behind split DNS it can be a TLD (`com.`), and an account may hold nested
/// zones (`example.com` and `sub.example.com`) where only the longest is right.
///
/// The account's zone list is read once (the provider's `list` follows every page) and cached
/// per account for `lifetime`: a burst of challenges over many names costs one listing. A name
/// that finds no zone reloads the list once if the list is older than `reloadOnMissAfter`, so a
/// zone created since is found without waiting for the list to expire, while a flood of
/// challenges for a name the account does not hold costs at most one listing per that floor.
public struct ZoneFinder<Zone: AccountZone>: Sendable {
    public typealias Cache = ExpiringCache<AccountKey, ZoneListing<Zone>>

    /// How long a listing is reused by default.
    public static var defaultLifetime: Duration { .seconds(300) }
    /// The floor between reloads caused by a miss.
    public static var defaultReloadOnMissAfter: Duration { .seconds(30) }

    public let cache: Cache
    public let lifetime: Duration
    public let reloadOnMissAfter: Duration
    /// The clock the reload floor is measured on (tests move it).
    let now: @Sendable () -> ContinuousClock.Instant

    public init(
        cache: Cache, lifetime: Duration = Self.defaultLifetime, reloadOnMissAfter: Duration = Self.defaultReloadOnMissAfter,
        now: @escaping @Sendable () -> ContinuousClock.Instant = { .now }
    ) {
        self.cache = cache
        self.lifetime = lifetime
        self.reloadOnMissAfter = reloadOnMissAfter
        self.now = now
    }

    /// The zones with the longest name that holds `fqdn` (several only when the account has
    /// several zones of one name, which the provider must report), or `[]` and the number of
    /// zones the account holds.
    public func zones(
        holding fqdn: DomainName,
        account: AccountKey,
        list: @escaping @Sendable () async throws -> [Zone]
    ) async throws -> (matches: [Zone], accountZoneCount: Int) {
        var listing = try await load(account, list)
        var matches = Self.longestMatches(for: fqdn, in: listing.zones)
        if matches.isEmpty, now() - listing.loadedAt > reloadOnMissAfter {
            cache.invalidate(account)
            listing = try await load(account, list)
            matches = Self.longestMatches(for: fqdn, in: listing.zones)
        }
        return (matches, listing.zones.count)
    }

    /// Forgets the account's listing (after the provider said a cached zone is gone).
    public func invalidate(_ account: AccountKey) {
        cache.invalidate(account)
    }

    /// The zones with the most labels among those `fqdn` equals or lies under.
    public static func longestMatches(for fqdn: DomainName, in zones: [Zone]) -> [Zone] {
        let holding = zones.filter { fqdn.isSubdomain(of: $0.zoneName) }
        guard let most = holding.map(\.zoneName.labelCount).max() else { return [] }
        return holding.filter { $0.zoneName.labelCount == most }
    }

    private func load(_ account: AccountKey, _ list: @escaping @Sendable () async throws -> [Zone]) async throws -> ZoneListing<Zone> {
        let lifetime = self.lifetime
        let now = self.now
        return try await cache.value(for: account) {
            (ZoneListing(zones: try await list(), loadedAt: now()), validFor: lifetime)
        }
    }
}
