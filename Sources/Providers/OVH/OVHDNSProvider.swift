import DNS01
import Logging
import ProviderKit

/// One challenge's OVH provider.
///
/// OVH keeps one record per value, each with its own id: Present creates a record for its
/// value (unless one holds it already) and CleanUp deletes only records whose target is its
/// value, so an apex and a wildcard challenge never touch each other. Both then `refresh` the
/// zone, which is what publishes a change to OVH's name servers (after a delete too).
struct OVHDNSProvider: DNSProvider {
    let client: OVHClient
    let zones: ZoneFinder<OVHZone>
    let state: OVHPluginState
    let account: AccountKey
    let ttl: Int
    let logger: Logger

    func present(_ challenge: Challenge) async throws {
        let fqdn = challenge.resolvedFQDN
        try await reportingFailures(for: fqdn) {
            let (zone, subDomain) = try await locate(fqdn)
            let existing = try await client.txtRecords(zone: zone, subDomain: subDomain)
            if existing.contains(where: { Self.holds($0, challenge.key) }) {
                logger.debug("OVH TXT record already present", metadata: ["fqdn": "\(fqdn)", "zone": "\(zone.apiName)"])
            } else {
                let record = try await client.createTXTRecord(zone: zone, subDomain: subDomain, target: challenge.key, ttl: ttl)
                logger.debug("OVH TXT record created", metadata: ["fqdn": "\(fqdn)", "zone": "\(zone.apiName)", "recordId": "\(record.id)"])
            }
            // Also when the record was there: an earlier attempt may have failed before it.
            try await client.refresh(zone: zone)
        }
    }

    func cleanUp(_ challenge: Challenge) async throws {
        let fqdn = challenge.resolvedFQDN
        try await reportingFailures(for: fqdn) {
            let (zone, subDomain) = try await locate(fqdn)
            for record in try await client.txtRecords(zone: zone, subDomain: subDomain) where Self.holds(record, challenge.key) {
                try await client.deleteRecord(zone: zone, id: record.id)
                logger.debug("OVH TXT record deleted", metadata: ["fqdn": "\(fqdn)", "zone": "\(zone.apiName)", "recordId": "\(record.id)"])
            }
            // Also when nothing was left to delete: an earlier attempt may have deleted without publishing.
            try await client.refresh(zone: zone)
        }
    }

    func txtValues(at fqdn: DomainName, zone: DomainName?) async throws -> [String] {
        try await reportingFailures(for: fqdn) {
            let (zone, subDomain) = try await locate(fqdn)
            return try await client.txtRecords(zone: zone, subDomain: subDomain).map { TXTRecord.unquoted($0.target) }
        }
    }

    /// Whether a record holds `key`: OVH may return a TXT target quoted.
    static func holds(_ record: OVHRecord, _ key: String) -> Bool {
        record.fieldType.uppercased() == "TXT" && (record.target == key || TXTRecord.unquoted(record.target) == key)
    }

    /// The account's zone holding `fqdn` (the longest) and the record's sub-domain in it
    /// (`""` for the apex, as OVH names it). The zone list (`GET /domain/zone`) is read when the
    /// credentials may; consumer keys made with the rights the OVH webhooks' READMEs give
    /// (`/domain/zone/*`) may not, and then the name's ancestors are asked for one by one,
    /// longest first (`GET /domain/zone/<name>`), and the answer cached.
    private func locate(_ fqdn: DomainName) async throws -> (zone: OVHZone, subDomain: String) {
        var count: Int?
        var zone: OVHZone?
        if state.mayListZones(account) {
            do {
                let (matches, listed) = try await zones.zones(holding: fqdn, account: account) { [client] in try await client.zones() }
                (zone, count) = (matches.first, listed)
            } catch let error as OVHAPIError where error.errorCode == "NOT_GRANTED_CALL" {
                state.noteListingRefused(account)
                logger.debug("OVH credentials may not list zones; asking for the name's ancestors", metadata: ["endpoint": "\(client.endpoint)"])
            }
        }
        if count == nil {
            zone = try await probe(fqdn)
        }
        guard let zone, let relative = fqdn.relativeName(in: zone.zoneName) else {
            let held = count.map { "the account has \($0) zones" } ?? "no ancestor of the name is a zone of the account"
            throw DNS01Error(
                .zoneNotFound,
                "no DNS zone of the OVH account of the \(client.authenticator.kind) from \(client.authenticator.origin) contains \(fqdn.name) (\(held) at \(client.endpoint)): check the endpoint (ovh-eu, ovh-ca, ovh-us…) and that the zone is hosted by OVH in this account"
            )
        }
        return (zone, relative == "@" ? "" : relative)
    }

    /// The longest ancestor of `fqdn` (itself included) that is a zone of the account.
    private func probe(_ fqdn: DomainName) async throws -> OVHZone? {
        let client = self.client
        do {
            return try await state.probedZones.value(for: AccountScopedKey(account, fqdn.name)) {
                // Top-level names are never OVH zones; stop below them.
                for candidate in fqdn.selfAndAncestors where candidate.labelCount >= 2 {
                    if let zone = try await client.zone(named: candidate) {
                        return (zone, validFor: OVHPluginState.probedZoneLifetime)
                    }
                }
                throw NoZoneFound()
            }
        } catch is NoZoneFound {
            return nil
        }
    }

    private struct NoZoneFound: Error {}

    private func reportingFailures<T: Sendable>(for fqdn: DomainName, _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch {
            throw OVHErrorMessages.failure(error, name: fqdn.name, authenticator: client.authenticator, endpoint: client.endpoint)
        }
    }
}
