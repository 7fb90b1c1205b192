import DNS01
import ProviderKit

/// Finds the hosted zone for a record name: the configured `hostedZoneID`, or else the public
/// zone with the longest name that the record is in.
///
/// Each candidate name, longest first, is looked up with ListHostedZonesByName(dnsname=…),
/// reading every page while the pages still hold zones of that name (Route53 treats `dnsname`
/// as a starting point in reversed-label order, so the zones of that name come first). The
/// zones found per name are cached for a bounded time, so a burst of challenges for one domain
/// costs one lookup per candidate name, not one per challenge.
public struct HostedZoneFinder: Sendable {
    public var cache: ExpiringCache<String, [HostedZone]>
    /// How long a lookup result stays valid.
    public var lifetime: Duration

    public init(cache: ExpiringCache<String, [HostedZone]>, lifetime: Duration = .seconds(300)) {
        self.cache = cache
        self.lifetime = lifetime
    }

    public func zone(for record: DomainName, client: Route53Client, cacheScope: String) async throws -> HostedZone {
        for candidate in record.selfAndAncestors where !candidate.isRoot {
            let zones = try await zonesNamed(candidate, client: client, cacheScope: cacheScope)
            let publicZones = zones.filter { !$0.isPrivate }
            if publicZones.count > 1 {
                let ids = publicZones.map(\.id).sorted().joined(separator: ", ")
                throw DNS01Error(.zoneNotFound, "route53: several public hosted zones are named \(candidate.fqdn) (\(ids)); set hostedZoneID to choose one")
            }
            if let zone = publicZones.first { return zone }
        }
        throw DNS01Error(.zoneNotFound, "route53: no public hosted zone in Route 53 for domain \(record.fqdn) (private zones are used only when hostedZoneID names them)")
    }

    /// Forgets cached lookups for the names of `record` (after Route53 said a zone is gone).
    public func invalidate(for record: DomainName, cacheScope: String) {
        for candidate in record.selfAndAncestors { cache.invalidate("\(cacheScope)|\(candidate.fqdn)") }
    }

    private func zonesNamed(_ name: DomainName, client: Route53Client, cacheScope: String) async throws -> [HostedZone] {
        let lifetime = self.lifetime
        return try await cache.value(for: "\(cacheScope)|\(name.fqdn)") {
            var found: [HostedZone] = []
            var dnsName = name.fqdn
            var zoneID: String?
            // A safety bound: 100 pages of zones with one name is far past any real account.
            for _ in 0..<100 {
                let page = try await client.listHostedZonesByName(dnsName: dnsName, hostedZoneID: zoneID)
                let matching = page.zones.filter { $0.name.route53Canonical == name.fqdn }
                found += matching
                // Stop once the listing has moved past this name (Route53 sorts it first).
                guard page.isTruncated, let next = page.nextDNSName, next.route53Canonical == name.fqdn else { break }
                dnsName = next
                zoneID = page.nextHostedZoneID
            }
            return (found, validFor: lifetime)
        }
    }
}
