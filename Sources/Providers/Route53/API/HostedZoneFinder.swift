import DNS01
import ProviderKit

/// Finds the hosted zone for a record name: the configured `hostedZoneID`, or else the public
/// zone with the longest name that the record is in (cert-manager's rule; private zones only
/// when named by ID, as in cert-manager #6111).
///
/// The account's zone list is read once with ListHostedZonesByName, following every page, and
/// cached for a bounded time: a burst of challenges over many names then costs one listing, not
/// one per name (at 5 requests/s per account, per-name lookups would be the bottleneck). A name
/// that finds no zone in a list older than `refreshAfterMiss` reloads it once, so a zone created
/// since is found without waiting for the list to expire.
public struct HostedZoneFinder: Sendable {
    public struct Listing: Sendable {
        public var zones: [HostedZone]
        public var fetched: ContinuousClock.Instant
    }

    public var cache: ExpiringCache<String, Listing>
    /// How long a listing stays valid.
    public var lifetime: Duration
    public var refreshAfterMiss: Duration

    public init(cache: ExpiringCache<String, Listing>, lifetime: Duration = .seconds(300), refreshAfterMiss: Duration = .seconds(30)) {
        self.cache = cache
        self.lifetime = lifetime
        self.refreshAfterMiss = refreshAfterMiss
    }

    public func zone(for record: DomainName, client: Route53Client, cacheScope: String) async throws -> HostedZone {
        var listing = try await zones(client: client, cacheScope: cacheScope)
        if try bestMatch(for: record, in: listing.zones) == nil, ContinuousClock.now - listing.fetched > refreshAfterMiss {
            cache.invalidate(cacheScope)
            listing = try await zones(client: client, cacheScope: cacheScope)
        }
        guard let zone = try bestMatch(for: record, in: listing.zones) else {
            throw DNS01Error(.zoneNotFound, "route53: no public hosted zone in Route 53 for domain \(record.fqdn) (private zones are used only when hostedZoneID names them)")
        }
        return zone
    }

    /// Forgets the listing (after Route53 said a zone is gone).
    public func invalidate(cacheScope: String) {
        cache.invalidate(cacheScope)
    }

    /// The public zone with the longest name that `record` equals or lies under.
    func bestMatch(for record: DomainName, in zones: [HostedZone]) throws(DNS01Error) -> HostedZone? {
        for candidate in record.selfAndAncestors {
            let named = zones.filter { !$0.isPrivate && $0.name.route53Canonical == candidate.fqdn }
            if named.count > 1 {
                let ids = named.map(\.id).sorted().joined(separator: ", ")
                throw DNS01Error(.zoneNotFound, "route53: several public hosted zones are named \(candidate.fqdn) (\(ids)); set hostedZoneID to choose one")
            }
            if let zone = named.first { return zone }
        }
        return nil
    }

    private func zones(client: Route53Client, cacheScope: String) async throws -> Listing {
        let lifetime = self.lifetime
        return try await cache.value(for: cacheScope) {
            var zones: [HostedZone] = []
            var next: (dnsName: String, zoneID: String?)?
            // A safety bound: 1,000 pages is 100,000 zones, far past Route53's default quota.
            for _ in 0..<1000 {
                let page = try await client.listHostedZonesByName(dnsName: next?.dnsName, hostedZoneID: next?.zoneID)
                zones += page.zones
                guard page.isTruncated, let dnsName = page.nextDNSName else { break }
                next = (dnsName, page.nextHostedZoneID)
            }
            return (Listing(zones: zones, fetched: .now), validFor: lifetime)
        }
    }
}
