import DNS01
import Logging
import ProviderKit
import Synchronization

/// One challenge's Azure DNS provider.
///
/// All TXT values of a name are one record set, rewritten under its ETag: `If-Match` when the
/// set exists, `If-None-Match: *` when it does not, and a DELETE with `If-Match` when the last
/// value goes. A concurrent writer (another replica, cert-manager's own solver, the portal)
/// makes the write fail with 412; the set is read again and the change applied to what is
/// there now, so no writer's value is lost. Within this process, changes to one set go through
/// the plugin's `ValueSetWriter` (one writer per set; queued changes join its round), so 16
/// concurrent challenges on one name cost a few rounds instead of 16 racing ones.
/// A warm Present or CleanUp costs two calls: GET, then PUT (or DELETE).
struct AzureDNSDNSProvider: DNSProvider {
    let client: AzureDNSClient
    let configuration: AzureDNSConfiguration
    let identity: AzureIdentity
    let zones: ZoneFinder<AzureZone>
    let zoneAccount: AccountKey
    let writer: ValueSetWriter<AccountScopedKey<String>>
    /// Re-reads after a 412, with a short jittered backoff so racing writers spread out.
    let conflictRetryPolicy: RetryPolicy
    let logger: Logger

    func present(_ challenge: Challenge) async throws {
        try await change(.add(TXTRecordForm.encode(TXTRecordForm.record(for: challenge.key))), at: challenge.resolvedFQDN)
    }

    func cleanUp(_ challenge: Challenge) async throws {
        try await change(.remove(TXTRecordForm.encode(TXTRecordForm.record(for: challenge.key))), at: challenge.resolvedFQDN)
    }

    func txtValues(at fqdn: DomainName, zone: DomainName?) async throws -> [String] {
        try await reportingFailures(for: fqdn) {
            let (zone, name) = try await locate(fqdn)
            return try await client.recordSet(zone: zone, name: name)?.records.map { $0.joined() } ?? []
        }
    }

    private func change(_ change: ValueSetWriter<AccountScopedKey<String>>.Change, at fqdn: DomainName) async throws {
        try await reportingFailures(for: fqdn) {
            let (zone, name) = try await locate(fqdn)
            let key = AccountScopedKey(zoneAccount, "\(zone.zoneName.name)/\(name)")
            try await conflictRetryPolicy.run(shouldRetry: { ($0 as? ARMError)?.isPreconditionFailed == true }) { attempt in
                if attempt > 1 { logger.debug("Azure DNS record set changed by another writer; reading it again", metadata: ["fqdn": "\(fqdn)", "attempt": "\(attempt)"]) }
                try await writer.apply(change, at: key, store: store(zone: zone, name: name))
            }
        }
    }

    /// The record set as the set-writer reads and writes it. A conditional write's answer is
    /// the set as stored, so the read that follows a write (the writer's check) uses it instead
    /// of another GET: the ETag already proves no one else wrote in between.
    private func store(zone: AzureZone, name: String) -> ValueSetWriter<AccountScopedKey<String>>.Store {
        let seen = Mutex<SeenRecordSet?>(nil)
        return ValueSetWriter.Store(
            read: { [client] in
                if let fresh = seen.withLock({ state -> SeenRecordSet? in
                    guard let current = state, current.justWritten else { return nil }
                    state?.justWritten = false
                    return current
                }) {
                    return fresh.records.map(TXTRecordForm.encode)
                }
                let set = try await client.recordSet(zone: zone, name: name)
                let state = SeenRecordSet(set)
                seen.withLock { $0 = state }
                return state.records.map(TXTRecordForm.encode)
            },
            write: { [client] values, _ in
                let before = seen.withLock { $0 } ?? SeenRecordSet(nil)
                let written = try await client.putRecordSet(
                    zone: zone, name: name, records: values.map(TXTRecordForm.decode), ttl: before.ttl ?? AzureDNSConfiguration.ttl,
                    metadata: before.metadata, etag: before.etag)
                var state = SeenRecordSet(written)
                state.justWritten = true
                seen.withLock { $0 = state }
            },
            delete: { [client] _ in
                guard let etag = seen.withLock({ $0?.etag }) else { return }
                try await client.deleteRecordSet(zone: zone, name: name, etag: etag)
                var state = SeenRecordSet(nil)
                state.justWritten = true
                seen.withLock { $0 = state }
            },
            comparable: TXTRecordForm.joined
        )
    }

    /// The zone and the record set's name in it (`@` at the apex, where cert-manager writes
    /// the whole name instead).
    private func locate(_ fqdn: DomainName) async throws -> (AzureZone, String) {
        let zone: AzureZone
        if let hosted = configuration.hostedZoneName {
            guard fqdn.isSubdomain(of: hosted) else {
                throw DNS01Error(
                    .zoneNotFound,
                    "\(fqdn.name) is not in the zone \(hosted.name) that \(configuration.path.appending("hostedZoneName")) names: set hostedZoneName to the zone that holds it, or leave it out to use the longest zone of resource group \(configuration.resourceGroupName)"
                )
            }
            zone = AzureZone(zoneName: hosted, azureName: hosted.name)
        } else {
            let (matches, count) = try await zones.zones(holding: fqdn, account: zoneAccount) { [client] in try await client.zones() }
            guard let found = matches.first else {
                throw DNS01Error(
                    .zoneNotFound,
                    "no DNS zone of resource group \(configuration.resourceGroupName) in subscription \(configuration.subscriptionID) holds \(fqdn.name) (the group has \(count) zones): create the zone there, or set resourceGroupName (or hostedZoneName) to where it is"
                )
            }
            zone = found
        }
        return (zone, fqdn.relativeName(in: zone.zoneName) ?? "@")
    }

    private func reportingFailures<T: Sendable>(for fqdn: DomainName, _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch {
            if let error = error as? ARMError, error.status == 404, AzureDNSClient.missingParentCodes.contains(error.code ?? "") {
                zones.invalidate(zoneAccount)
            }
            throw AzureErrorMessages.failure(error, name: fqdn, identity: identity, configuration: configuration)
        }
    }
}

/// What the last read or write showed of a record set.
private struct SeenRecordSet: Sendable {
    var etag: String?
    var ttl: Int?
    var metadata: [String: String]?
    var records: [[String]]
    /// Set by a write: the next read of the round returns this instead of calling the API.
    var justWritten = false

    init(_ set: AzureTXTRecordSet?) {
        etag = set?.etag
        ttl = set?.properties.ttl
        metadata = set?.properties.metadata
        records = set?.records ?? []
    }
}
