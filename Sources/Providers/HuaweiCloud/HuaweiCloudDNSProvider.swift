import DNS01
import Logging
import ProviderKit
import Synchronization

/// The writer of TXT sets, keyed by account, zone and name.
typealias TXTSetWriter = ValueSetWriter<AccountScopedKey<String>>

/// One challenge's Huawei Cloud DNS provider: its credentials, endpoint and record settings.
///
/// The API keeps one TXT record set per name with a list of values, and can only replace the
/// whole list, with no precondition. Present adds its value to the set (creating it), Cleanup
/// removes its own value (deleting the set when it becomes empty); both go through ProviderKit's
/// `ValueSetWriter`, which serialises this process's writers per name (batching concurrent
/// changes into one write) and reads the set back after each write to repair a value another
/// writer removed.
struct HuaweiCloudDNSProvider: DNSProvider {
    let client: HuaweiDNSClient
    let zones: ZoneFinder<HuaweiZone>
    let account: AccountKey
    let origin: String
    /// The zone pinned by the config (`zoneId`, or `zoneName` looked up by name).
    let pinnedZone: HuaweiCloudConfiguration.Zone?
    let zoneType: String
    let ttl: Int
    let writer: TXTSetWriter
    let endpoint: BaseURL
    let logger: Logger

    /// Values are written quoted, as the API stores TXT data, and compared unquoted.
    func present(_ challenge: Challenge) async throws {
        try await change(.add(TXTRecord.quoted(challenge.key)), at: challenge.resolvedFQDN)
    }

    func cleanUp(_ challenge: Challenge) async throws {
        try await change(.remove(TXTRecord.quoted(challenge.key)), at: challenge.resolvedFQDN)
    }

    func txtValues(at fqdn: DomainName, zone: DomainName?) async throws -> [String] {
        try await reportingFailures(for: fqdn) {
            let zoneId = try await zoneId(holding: fqdn)
            return try await client.txtRecordSets(zoneId: zoneId, fqdn: fqdn).flatMap { $0.records ?? [] }.map(TXTRecord.unquoted)
        }
    }

    private func change(_ change: TXTSetWriter.Change, at fqdn: DomainName) async throws {
        try await reportingFailures(for: fqdn) {
            let zoneId = try await zoneId(holding: fqdn)
            let key = AccountScopedKey(account, "\(zoneId)|\(fqdn.name)")
            try await writer.apply(change, at: key, store: store(zoneId: zoneId, fqdn: fqdn))
            logger.debug("Huawei Cloud DNS record set changed", metadata: ["fqdn": "\(fqdn)", "zoneId": "\(zoneId)"])
        }
    }

    /// Reads and writes the TXT set at `fqdn` for one writer's round. The API addresses a set by
    /// id, which the values alone do not carry: each read keeps the set's id and TTL for the
    /// write that follows it (a round's reads and writes never overlap).
    private func store(zoneId: String, fqdn: DomainName) -> TXTSetWriter.Store {
        let client = client
        let ttl = ttl
        let lastRead = LastReadSet()
        return TXTSetWriter.Store(
            read: {
                let sets = try await client.txtRecordSets(zoneId: zoneId, fqdn: fqdn)
                // v2 keeps one TXT set per name; should several show up (lines of v2.1), the
                // first is the one written, and every value counts.
                lastRead.set.withLock { $0 = (sets.first?.id, sets.first?.ttl) }
                return sets.flatMap { $0.records ?? [] }
            },
            write: { values, _ in
                let (id, currentTTL) = lastRead.set.withLock { $0 }
                do {
                    if let id {
                        try await client.updateRecordSet(zoneId: zoneId, id: id, fqdn: fqdn, records: values, ttl: currentTTL ?? ttl)
                    } else {
                        try await client.createRecordSet(zoneId: zoneId, fqdn: fqdn, records: values, ttl: ttl)
                    }
                } catch let error as HuaweiAPIError where id == nil && error.code == "DNS.0312" {
                    // A TXT set another writer created since the read, or a record of another
                    // type (a CNAME) that no retry removes: only a new read tells them apart. For
                    // the first, the round's verifying read misses the change and the next
                    // round writes it into that set.
                    if try await client.txtRecordSets(zoneId: zoneId, fqdn: fqdn).isEmpty { throw error }
                } catch let error as HuaweiAPIError where error.code == "DNS.0313" {
                    // Deleted by another writer since the read: the next round creates it anew.
                }
            },
            delete: { _ in
                guard let id = lastRead.set.withLock({ $0.id }) else { return }
                do {
                    try await client.deleteRecordSet(zoneId: zoneId, id: id)
                } catch let error as HuaweiAPIError where error.code == "DNS.0313" {
                    // Already deleted by another writer.
                }
            },
            comparable: TXTRecord.unquoted
        )
    }

    /// The zone that holds `fqdn`: the pinned one, or the account's longest zone.
    private func zoneId(holding fqdn: DomainName) async throws -> String {
        let list: @Sendable () async throws -> [HuaweiZone] = { [client, zoneType] in try await client.zones(type: zoneType) }
        switch pinnedZone {
        case .id(let id)?:
            return id
        case .name(let name)?:
            guard fqdn.isSubdomain(of: name) else {
                throw DNS01Error(.invalidConfiguration, "the zoneName \(name.name) of the config does not hold \(fqdn.name): set zoneName to the zone of that name, or leave it out to find the zone")
            }
            guard let zone = try await zones.zones(holding: name, account: account, list: list).matches.first(where: { $0.zoneName == name }) else {
                throw DNS01Error(.zoneNotFound, "the zoneName \(name.name) of the config is not a \(zoneType) zone of the Huawei Cloud account of \(origin): check the name, or the zoneType")
            }
            return zone.id
        case nil:
            let (matches, count) = try await zones.zones(holding: fqdn, account: account, list: list)
            guard let zone = matches.first else {
                throw DNS01Error(
                    .zoneNotFound,
                    "no \(zoneType) zone in the Huawei Cloud account of \(origin) contains \(fqdn.name) (the account holds \(count) \(zoneType) zones): add the zone in the Huawei Cloud DNS console, or use the access key of the account that holds it")
            }
            return zone.id
        }
    }

    private func reportingFailures<T: Sendable>(for fqdn: DomainName, _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch {
            if let error = error as? HuaweiAPIError, error.code == "DNS.0302" {
                // The cached zone list is stale (the zone was deleted): the next attempt lists
                // the account's zones again.
                zones.invalidate(account)
            }
            throw HuaweiCloudErrorMessages.dnsFailure(error, name: fqdn.name, origin: origin, endpoint: endpoint)
        }
    }
}

/// The id and TTL of the set one round last read.
private final class LastReadSet: Sendable {
    let set = Mutex<(id: String?, ttl: Int?)>((nil, nil))
}
