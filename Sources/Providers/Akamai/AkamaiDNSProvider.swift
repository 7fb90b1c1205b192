import DNS01
import Logging
import ProviderKit
import Synchronization

/// One challenge's Akamai Edge DNS provider.
///
/// All TXT values at a name live in one record set, and Edge DNS offers no concurrency control
/// on record sets (no ETag, no If-Match, no version): a write replaces the whole set. So every
/// change goes through the plugin's `ValueSetWriter`:
/// - changes to one name are serialized (and coalesced) in this process, which makes
///   concurrent challenges of one replica safe;
/// - a set is created with POST, which fails with 409 when another writer created it first;
///   its values are then read and kept;
/// - every write is read back, and a value another writer (another replica) dropped, or put
///   back after its removal, is written again;
/// - what remains across replicas: a replica that rewrites the set after our read-back can
///   still drop a value (Akamai gives nothing to prevent it), and cert-manager then retries.
///
/// A warm Present or CleanUp costs three calls: read, write (POST, PUT or DELETE), read back.
struct AkamaiDNSProvider: DNSProvider {
    /// A record set as every writer of this process sees it: whatever the credentials, one
    /// name on one API host is one set.
    struct SetKey: Hashable, Sendable {
        var endpoint: String
        var name: String
    }
    typealias Writer = ValueSetWriter<SetKey>

    let client: AkamaiClient
    let zones: ZoneFinder<AkamaiZone>
    let account: AccountKey
    let writer: Writer
    let logger: Logger

    func present(_ challenge: Challenge) async throws {
        try await change(.add(TXTRecord.quoted(challenge.key)), at: challenge.resolvedFQDN)
    }

    func cleanUp(_ challenge: Challenge) async throws {
        try await change(.remove(TXTRecord.quoted(challenge.key)), at: challenge.resolvedFQDN)
    }

    private func change(_ change: Writer.Change, at fqdn: DomainName) async throws {
        try await reportingFailures(for: fqdn) {
            let zone = try await zone(holding: fqdn)
            try await writer.apply(change, at: SetKey(endpoint: client.endpoint.description, name: fqdn.name), store: store(zone: zone, name: fqdn))
            logger.debug("Akamai TXT record set updated", metadata: ["fqdn": "\(fqdn)", "zone": "\(zone.apiName)"])
        }
    }

    /// How the writer reads and writes the record set at `name`. A replacement keeps the TTL
    /// the set has; a new set gets cert-manager's 300.
    private func store(zone: AkamaiZone, name: DomainName) -> Writer.Store {
        let client = self.client
        let ttl = Mutex<Int>(AkamaiConfiguration.ttl)
        return Writer.Store(
            read: {
                let set = try await client.txtSet(zone: zone, name: name)
                ttl.withLock { $0 = set?.ttl ?? AkamaiConfiguration.ttl }
                return set?.rdata ?? []
            },
            write: { values, current in
                let setTTL = ttl.withLock { $0 }
                if !current.isEmpty, try await client.replace(zone: zone, name: name, ttl: setTTL, rdata: values) == .written { return }
                // No set (or it was deleted since the read): create it.
                if try await client.create(zone: zone, name: name, ttl: setTTL, rdata: values) == .written { return }
                // 409: another writer created it since the read. Keep its values.
                guard let theirs = try await client.txtSet(zone: zone, name: name) else { return }
                let merged = theirs.rdata + values.filter { value in !theirs.rdata.contains { TXTRecord.unquoted($0) == TXTRecord.unquoted(value) } }
                _ = try await client.replace(zone: zone, name: name, ttl: theirs.ttl, rdata: merged)
            },
            delete: { _ in try await client.delete(zone: zone, name: name) },
            comparable: TXTRecord.unquoted
        )
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
