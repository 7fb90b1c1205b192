import DNS01
import Logging
import ProviderKit
import Synchronization

/// The writer of TXT sets, keyed by account (project and identity), zone and name.
typealias TXTSetWriter = ValueSetWriter<AccountScopedKey<String>>

/// One challenge's Cloud DNS provider.
///
/// A name's TXT values are one resource record set. Present adds its value to the set (creating
/// it with TTL 60, as cert-manager does), CleanUp removes its own value (deleting the set when
/// it was the last). Each write is one change whose `deletions` repeat the set exactly as it was
/// read and whose `additions` hold the new set: Cloud DNS applies it only if the set is still
/// exactly that, so a concurrent writer (another replica, another tool) makes the change fail
/// with 412 `conditionNotMet` or 409 `alreadyExists` instead of being lost; the set is then read
/// again and the change retried with backoff. Writers in this process are queued per set by
/// `ValueSetWriter`, which folds the changes that queue up meanwhile into one write.
struct CloudDNSDNSProvider: DNSProvider {
    let client: CloudDNSClient
    let zones: ZoneFinder<ManagedZone>
    let account: AccountKey
    let hostedZoneName: String?
    let writer: TXTSetWriter
    let retryPolicy: RetryPolicy
    let changeWait: CloudDNSEnvironment.ChangeWait
    let origin: String
    let logger: Logger

    /// Values are written quoted, as zone files and `gcloud` write TXT data, and compared
    /// unquoted, so a value written bare by another tool is recognised.
    func present(_ challenge: Challenge) async throws {
        try await change(.add(TXTRecord.quoted(challenge.key)), at: challenge.resolvedFQDN)
    }

    func cleanUp(_ challenge: Challenge) async throws {
        try await change(.remove(TXTRecord.quoted(challenge.key)), at: challenge.resolvedFQDN)
    }

    func txtValues(at fqdn: DomainName, zone: DomainName?) async throws -> [String] {
        try await reportingFailures(for: fqdn) {
            let zone = try await managedZone(holding: fqdn)
            return try await client.txtSet(zone: zone, fqdn: fqdn)?.rrdatas.map(TXTRecord.unquoted) ?? []
        }
    }

    private func change(_ change: TXTSetWriter.Change, at fqdn: DomainName) async throws {
        try await reportingFailures(for: fqdn) {
            let zone = try await managedZone(holding: fqdn)
            let key = AccountScopedKey(account, "\(zone)|\(fqdn.name)")
            let store = store(zone: zone, fqdn: fqdn)
            try await retryPolicy.run(shouldRetry: { ($0 as? GoogleAPIError)?.isConflict == true }) { attempt in
                if attempt > 1 { logger.debug("Cloud DNS change lost a race; reading the set again", metadata: ["fqdn": "\(fqdn)", "attempt": "\(attempt)"]) }
                try await writer.apply(change, at: key, store: store)
            }
            logger.debug("Cloud DNS TXT set changed", metadata: ["fqdn": "\(fqdn)", "zone": "\(zone)"])
        }
    }

    /// Reads and writes the TXT set at `fqdn` for one writer's round. The deletion must repeat
    /// the set exactly (TTL and data as stored), so each read keeps the whole set for the write
    /// that follows it (a round's reads and writes never overlap).
    private func store(zone: String, fqdn: DomainName) -> TXTSetWriter.Store {
        let client = client
        let lastRead = LastReadSet()
        return TXTSetWriter.Store(
            read: {
                let set = try await client.txtSet(zone: zone, fqdn: fqdn)
                lastRead.set.withLock { $0 = set }
                return set?.rrdatas ?? []
            },
            write: { values, _ in
                let current = lastRead.set.withLock { $0 }
                let addition = ResourceRecordSet(name: fqdn.fqdn, type: "TXT", ttl: current?.ttl ?? CloudDNSConfiguration.ttl, rrdatas: values)
                try await apply(zone: zone, fqdn: fqdn, deletions: current.map { [$0] } ?? [], additions: [addition])
            },
            delete: { _ in
                guard let current = lastRead.set.withLock({ $0 }) else { return }
                try await apply(zone: zone, fqdn: fqdn, deletions: [current], additions: [])
            },
            comparable: TXTRecord.unquoted,
            confirmsWrites: true
        )
    }

    /// Sends one change and, like cert-manager, waits while Cloud DNS reports it `pending`
    /// (within `changeWait`; a change accepted is applied even if we stop looking).
    private func apply(zone: String, fqdn: DomainName, deletions: [ResourceRecordSet], additions: [ResourceRecordSet]) async throws {
        var change = try await client.createChange(zone: zone, deletions: deletions, additions: additions, name: fqdn)
        let clock = ContinuousClock()
        let start = clock.now
        while change.status == "pending", let id = change.id, clock.now - start < changeWait.deadline {
            try await changeWait.sleep(changeWait.interval)
            change = try await client.change(zone: zone, id: id, name: fqdn)
        }
        if change.status == "pending" {
            logger.debug("Cloud DNS change still pending; not waiting longer", metadata: ["fqdn": "\(fqdn)", "change": "\(change.id ?? "")"])
        }
    }

    /// The managed zone that holds `fqdn`: `hostedZoneName`, or the longest zone of the project
    /// whose DNS name holds it; of a public and a private zone of one name, the public one.
    private func managedZone(holding fqdn: DomainName) async throws -> String {
        if let hostedZoneName { return hostedZoneName }
        let (matches, count) = try await zones.zones(holding: fqdn, account: account) { [client] in try await client.managedZones() }
        guard let zone = matches.first(where: \.isPublic) ?? matches.first else {
            throw DNS01Error(
                .zoneNotFound,
                "no managed zone of project \(client.project) holds \(fqdn.name) (the project has \(count) managed zones visible to \(origin)): create the zone, set project to the project that has it, or set hostedZoneName")
        }
        return zone.name
    }

    private func reportingFailures<T: Sendable>(for fqdn: DomainName, _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch {
            if let error = error as? GoogleAPIError, error.status == 404, error.message?.contains("entity.change") != true {
                // A cached zone was deleted: the next attempt lists the zones again.
                zones.invalidate(account)
            }
            throw CloudDNSErrorMessages.dnsFailure(error, name: fqdn, project: client.project, origin: origin, endpoint: client.endpoint)
        }
    }
}

/// The set one round last read.
private final class LastReadSet: Sendable {
    let set = Mutex<ResourceRecordSet?>(nil)
}
