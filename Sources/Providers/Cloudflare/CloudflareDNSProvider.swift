import DNS01
import Logging
import ProviderKit

/// One challenge's Cloudflare provider.
///
/// Every TXT value is its own record, created by one POST and deleted by its id: two
/// challenges on one name (a certificate for `example.com` and `*.example.com`) and any number
/// of replicas never touch each other's value, and "already exists" (81057/81058) on create
/// means the value is there. A warm Present costs one call, a warm CleanUp two (list, delete).
struct CloudflareDNSProvider: DNSProvider {
    let client: CloudflareClient
    let zones: ZoneFinder<CloudflareZone>
    let account: AccountKey
    let logger: Logger

    func present(_ challenge: Challenge) async throws {
        let fqdn = challenge.resolvedFQDN
        try await reportingFailures(for: fqdn) {
            let zone = try await zone(holding: fqdn)
            switch try await client.createTXT(zoneID: zone.id, name: fqdn, value: challenge.key, ttl: CloudflareConfiguration.ttl) {
            case .created(let id):
                logger.debug("Cloudflare TXT record created", metadata: ["fqdn": "\(fqdn)", "zone": "\(zone.zoneName)", "recordId": "\(id)"])
            case .alreadyExists:
                logger.debug("Cloudflare TXT record already present", metadata: ["fqdn": "\(fqdn)", "zone": "\(zone.zoneName)"])
            }
        }
    }

    func cleanUp(_ challenge: Challenge) async throws {
        let fqdn = challenge.resolvedFQDN
        try await reportingFailures(for: fqdn) {
            let zone = try await zone(holding: fqdn)
            for record in try await client.txtRecords(zoneID: zone.id, name: fqdn) where record.value == challenge.key {
                let deleted = try await client.deleteRecord(zoneID: zone.id, id: record.id)
                logger.debug(
                    deleted ? "Cloudflare TXT record deleted" : "Cloudflare TXT record already gone",
                    metadata: [
                        "fqdn": "\(fqdn)", "zone": "\(zone.zoneName)", "recordId": "\(record.id)",
                    ])
            }
        }
    }

    func txtValues(at fqdn: DomainName, zone: DomainName?) async throws -> [String] {
        try await reportingFailures(for: fqdn) {
            let zone = try await self.zone(holding: fqdn)
            return try await client.txtRecords(zoneID: zone.id, name: fqdn).map(\.value)
        }
    }

    /// The zone with the longest name that holds `fqdn`, preferring an active zone when the
    /// account also has a pending one of that name.
    private func zone(holding fqdn: DomainName) async throws -> CloudflareZone {
        let (matches, count) = try await zones.zones(holding: fqdn, account: account) { [client] in try await client.zones() }
        guard let zone = matches.first(where: { $0.status == "active" }) ?? matches.first else {
            throw DNS01Error(.zoneNotFound, "no zone that \(client.credentials.origin) (\(client.credentials.field)) can see holds \(fqdn.name) (it sees \(count) zones): add the zone to Cloudflare, or give an API token with Zone:Read on it")
        }
        return zone
    }

    private func reportingFailures<T: Sendable>(for fqdn: DomainName, _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch {
            // A zone deleted (or re-added with a new id) since the list was cached answers
            // 10000/7003: list again on the next attempt.
            if let apiError = error as? CloudflareAPIError, apiError.has(10000) || apiError.has(7003) || apiError.status == 404 && !apiError.meansRecordMissing {
                zones.invalidate(account)
            }
            throw CloudflareErrorMessages.failure(error, name: fqdn, credentials: client.credentials, endpoint: client.endpoint)
        }
    }
}
