import DNS01
import Logging
import ProviderKit

/// One challenge's Akamai Edge DNS provider.
///
/// All TXT values at a name live in one record set, and Edge DNS offers no concurrency control
/// on record sets (no ETag, no If-Match, no version): a write replaces the whole set. So:
/// - writes to one name are serialized in this process (`RecordSetLocks`), which makes
///   concurrent challenges of one replica safe;
/// - creating a set uses POST, which fails with 409 when another writer created it first (the
///   set is then read again), so two replicas starting from no set never lose a value;
/// - a PUT over an existing set is read back, and redone if a concurrent writer (another
///   replica) replaced it without this value; a removal is read back the same way;
/// - what remains across replicas: two PUTs of one name that interleave within a read-back can
///   still drop a value (Akamai gives nothing to prevent it), and cert-manager then retries.
///
/// A warm Present on a name with no set costs two calls (read, create), a warm CleanUp of the
/// last value two (read, delete); joining or leaving a set with other values costs three (read,
/// replace, read back).
struct AkamaiDNSProvider: DNSProvider {
    /// A record set as every writer of this process sees it: whatever the credentials, one
    /// name on one API host is one set.
    struct SetKey: Hashable, Sendable {
        var endpoint: String
        var name: String
    }

    let client: AkamaiClient
    let zones: ZoneFinder<AkamaiZone>
    let account: AccountKey
    let locks: RecordSetLocks<SetKey>
    let logger: Logger

    /// Rounds of read-modify-write before giving up on a set that other writers keep changing.
    static let maximumRounds = 5

    func present(_ challenge: Challenge) async throws {
        let fqdn = challenge.resolvedFQDN
        let value = challenge.key
        try await reportingFailures(for: fqdn) {
            let zone = try await zone(holding: fqdn)
            try await locks.withLock(SetKey(endpoint: client.endpoint.description, name: fqdn.name)) {
                for round in 1...Self.maximumRounds {
                    guard let current = try await client.txtSet(zone: zone, name: fqdn) else {
                        if try await client.create(zone: zone, name: fqdn, ttl: AkamaiConfiguration.ttl, rdata: [TXTRecord.quoted(value)]) == .written {
                            logger.debug("Akamai TXT record set created", metadata: ["fqdn": "\(fqdn)", "zone": "\(zone.apiName)"])
                            return
                        }
                        continue  // created meanwhile by another writer: read it
                    }
                    if current.holds(value) { return }
                    guard try await client.replace(zone: zone, name: fqdn, ttl: current.ttl, rdata: current.rdata + [TXTRecord.quoted(value)]) == .written else { continue }
                    if try await client.txtSet(zone: zone, name: fqdn)?.holds(value) == true {
                        logger.debug("Akamai TXT value added", metadata: ["fqdn": "\(fqdn)", "zone": "\(zone.apiName)", "values": "\(current.rdata.count + 1)"])
                        return
                    }
                    logger.warning("Akamai TXT record set at the name was replaced by another writer without this value; adding it again", metadata: ["fqdn": "\(fqdn)", "round": "\(round)"])
                }
                throw DNS01Error(.providerUnavailable, "another writer kept replacing the Akamai TXT record set at \(fqdn.name) while this value was added (\(Self.maximumRounds) rounds); cert-manager will try again")
            }
        }
    }

    func cleanUp(_ challenge: Challenge) async throws {
        let fqdn = challenge.resolvedFQDN
        let value = challenge.key
        try await reportingFailures(for: fqdn) {
            let zone = try await zone(holding: fqdn)
            try await locks.withLock(SetKey(endpoint: client.endpoint.description, name: fqdn.name)) {
                for round in 1...Self.maximumRounds {
                    guard let current = try await client.txtSet(zone: zone, name: fqdn), current.holds(value) else { return }
                    let remaining = current.rdata.filter { TXTRecord.unquoted($0) != value }
                    if remaining.isEmpty {
                        try await client.delete(zone: zone, name: fqdn)
                        logger.debug("Akamai TXT record set deleted", metadata: ["fqdn": "\(fqdn)", "zone": "\(zone.apiName)"])
                        return
                    }
                    guard try await client.replace(zone: zone, name: fqdn, ttl: current.ttl, rdata: remaining) == .written else { continue }
                    if try await client.txtSet(zone: zone, name: fqdn)?.holds(value) != true {
                        logger.debug("Akamai TXT value removed", metadata: ["fqdn": "\(fqdn)", "zone": "\(zone.apiName)", "values": "\(remaining.count)"])
                        return
                    }
                    logger.warning("Akamai TXT record set at the name was rewritten by another writer with this value; removing it again", metadata: ["fqdn": "\(fqdn)", "round": "\(round)"])
                }
                throw DNS01Error(.providerUnavailable, "another writer kept rewriting the Akamai TXT record set at \(fqdn.name) with this value while it was removed (\(Self.maximumRounds) rounds); cert-manager will try again")
            }
        }
    }

    func txtValues(at fqdn: DomainName, zone: DomainName?) async throws -> [String] {
        try await reportingFailures(for: fqdn) {
            try await client.txtSet(zone: try await self.zone(holding: fqdn), name: fqdn)?.values ?? []
        }
    }

    /// The zone with the longest name that holds `fqdn` among those the API client sees.
    /// (cert-manager uses its SOA walk instead, which behind split DNS can give a TLD.)
    private func zone(holding fqdn: DomainName) async throws -> AkamaiZone {
        let (matches, count) = try await zones.zones(holding: fqdn, account: account) { [client] in try await client.zones() }
        guard let zone = matches.first else {
            throw DNS01Error(.zoneNotFound, "no Edge DNS zone that the API client in \(client.credentials.origin) can see holds \(fqdn.name) (it sees \(count) zones): add the zone to Edge DNS, or grant the API client access to it")
        }
        return zone
    }

    private func reportingFailures<T: Sendable>(for fqdn: DomainName, _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch {
            if let apiError = error as? AkamaiAPIError, apiError.status == 404 || apiError.status == 403 {
                zones.invalidate(account)
            }
            throw AkamaiErrorMessages.failure(error, name: fqdn, credentials: client.credentials, endpoint: client.endpoint)
        }
    }
}
