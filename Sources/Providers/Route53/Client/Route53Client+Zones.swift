import DNS01
import ProviderKit

/// A public hosted zone as the shared zone finder sees it.
struct PublicHostedZone: AccountZone {
    var zone: HostedZone
    var zoneName: DomainName
}

extension Route53Client {
    /// The account's public hosted zones, every page of ListHostedZonesByName. Private zones are
    /// used only when `hostedZoneID` names them (cert-manager's rule, cert-manager #6111).
    func publicHostedZones() async throws -> [PublicHostedZone] {
        var zones: [PublicHostedZone] = []
        var next: (dnsName: String, zoneID: String?)?
        // A safety bound: 1,000 pages is 100,000 zones, far past Route53's default quota.
        for _ in 0..<1000 {
            let page = try await listHostedZonesByName(dnsName: next?.dnsName, hostedZoneID: next?.zoneID)
            for zone in page.zones where !zone.isPrivate {
                guard let name = try? DomainName(zone.name.route53Canonical), !name.isRoot else { continue }
                zones.append(PublicHostedZone(zone: zone, zoneName: name))
            }
            guard page.isTruncated, let dnsName = page.nextDNSName else { break }
            next = (dnsName, page.nextHostedZoneID)
        }
        return zones
    }
}
