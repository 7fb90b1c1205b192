import DNS01
import Logging
import ProviderKit
import Synchronization

/// One challenge's PowerDNS provider.
///
/// On servers that have them (4.9.12+, 5.0.2+, from the version the API reports), Present is
/// one `PATCH` with changetype `EXTEND` (adds the value if absent) and CleanUp one with `PRUNE`
/// (removes it if present): the server changes one value, so concurrent writers are safe. On
/// older servers (Debian bookworm ships 4.7) the only write is `REPLACE` of the whole rrset, so
/// each change is a read-modify-write through the plugin's `ValueSetWriter`: serialized and
/// coalesced per name in the process, written, then read again to verify and repair.
struct PDNSDNSProvider: DNSProvider {
    let client: PDNSClient
    let transport: PDNSTransport
    let state: PDNSPluginState
    let account: AccountKey
    let ttl: Int
    let allowedZones: [DomainName]
    let messages: PDNSErrorMessages.Context
    let logger: Logger

    func present(_ challenge: Challenge) async throws {
        try await change(.add(TXTRecord.quoted(challenge.key)), at: challenge.resolvedFQDN)
    }

    func cleanUp(_ challenge: Challenge) async throws {
        try await change(.remove(TXTRecord.quoted(challenge.key)), at: challenge.resolvedFQDN)
    }

    func txtValues(at fqdn: DomainName, zone: DomainName?) async throws -> [String] {
        try await reportingFailures(for: fqdn) {
            try await transport.run { transport in
                let zone = try await locate(fqdn, transport)
                return try await client.txtSet(transport, zone: zone, fqdn: fqdn).records.filter { !$0.disabled }.map { TXTRecord.unquoted($0.content) }
            }
        }
    }

    /// `EXTEND`/`PRUNE` change one value server-side; without them every change rewrites the
    /// rrset with no precondition, so the dispatcher must lock the name across replicas.
    func recordModel(at fqdn: DomainName) async throws -> RecordModel? {
        try await reportingFailures(for: fqdn) {
            try await transport.run { transport in
                try await hasSingleValueChanges(transport) ? .serverSideValueChange : .readModifyWriteSet
            }
        }
    }

    private func change(_ change: ValueSetWriter<AccountScopedKey<String>>.Change, at fqdn: DomainName) async throws {
        try await reportingFailures(for: fqdn) {
            try await transport.run { transport in
                let zone = try await locate(fqdn, transport)
                guard allowedZones.isEmpty || allowedZones.contains(where: { zone.zoneName.isSubdomain(of: $0) }) else {
                    throw DNS01Error(.forbiddenByPolicy, "the zone \(zone.zoneName.fqdn) of \(fqdn.name) may not be edited: allowed-zones lists only \(allowedZones.map(\.fqdn).joined(separator: ", "))")
                }
                if try await hasSingleValueChanges(transport) {
                    do {
                        try await client.patch(transport, zone: zone, singleValueChange(change, fqdn: fqdn))
                        logger.debug("PowerDNS TXT value changed", metadata: ["fqdn": "\(fqdn)", "zone": "\(zone.id)", "changetype": "\(change.isAdd ? "EXTEND" : "PRUNE")"])
                        return
                    } catch let error as PDNSAPIError where error.refusesChangetype {
                        // The version said yes, the server says no (a proxy, a patched build):
                        // remember it, and read-modify-write instead.
                        state.noteRefusesSingleValueChanges(account)
                        logger.info("PowerDNS refused EXTEND/PRUNE despite its version; using REPLACE", metadata: ["host": "\(client.host)"])
                    }
                }
                try await state.writer.apply(change, at: AccountScopedKey(account, fqdn.name), store: replaceStore(transport, zone: zone, fqdn: fqdn))
                logger.debug("PowerDNS TXT rrset replaced", metadata: ["fqdn": "\(fqdn)", "zone": "\(zone.id)"])
            }
        }
    }

    private func singleValueChange(_ change: ValueSetWriter<AccountScopedKey<String>>.Change, fqdn: DomainName) -> PDNSClient.Change {
        switch change {
        case .add(let content):
            PDNSClient.Change(name: fqdn.fqdn, ttl: ttl, changetype: "EXTEND", records: [.init(content: content, disabled: false)])
        case .remove(let content):
            PDNSClient.Change(name: fqdn.fqdn, ttl: nil, changetype: "PRUNE", records: [.init(content: content, disabled: false)])
        }
    }

    /// How the writer reads and replaces the rrset. The writer sees the enabled records' values;
    /// disabled records (not served) are kept as they are across a rewrite, unless the rewrite
    /// enables the same value, and the rrset keeps its TTL; a new rrset gets the configured TTL.
    private func replaceStore(_ transport: any HTTPTransport, zone: PDNSZone, fqdn: DomainName) -> ValueSetWriter<AccountScopedKey<String>>.Store {
        let client = self.client
        let ttl = self.ttl
        let lastRead = LastRead()
        @Sendable func replace(_ values: [String]) async throws {
            let known = lastRead.set
            let enabled = values.map { PDNSClient.Record(content: $0, disabled: false) }
            let kept = known.records.filter { record in
                record.disabled && !values.contains { TXTRecord.unquoted($0) == TXTRecord.unquoted(record.content) }
            }
            if enabled.isEmpty && kept.isEmpty {
                try await client.patch(transport, zone: zone, .init(name: fqdn.fqdn, ttl: nil, changetype: "DELETE", records: nil))
            } else {
                try await client.patch(transport, zone: zone, .init(name: fqdn.fqdn, ttl: known.ttl ?? ttl, changetype: "REPLACE", records: enabled + kept))
            }
        }
        return .init(
            read: {
                // The whole zone: the filtered read leaves out disabled records, which the
                // rewrite must keep.
                let set = try await client.txtSet(transport, zone: zone, fqdn: fqdn, includingDisabled: true)
                lastRead.remember(set)
                return set.records.filter { !$0.disabled }.map(\.content)
            },
            write: { values, _ in try await replace(values) },
            delete: { _ in try await replace([]) },
            comparable: TXTRecord.unquoted
        )
    }

    /// Whether the server has `EXTEND`/`PRUNE`, from its version (cached per server and key).
    private func hasSingleValueChanges(_ transport: any HTTPTransport) async throws -> Bool {
        guard !state.refusesSingleValueChanges(account) else { return false }
        let client = self.client
        let text = try await state.versions.value(for: account) {
            (try await client.version(transport), validFor: PDNSPluginState.versionLifetime)
        }
        return PDNSVersion(text)?.hasSingleValueChanges ?? false
    }

    /// The server's zone that holds `fqdn` (the longest).
    private func locate(_ fqdn: DomainName, _ transport: any HTTPTransport) async throws -> PDNSZone {
        let client = self.client
        let finder = ZoneFinder(cache: state.zones)
        let (matches, count) = try await finder.zones(holding: fqdn, account: account) { try await client.zones(transport) }
        guard let zone = matches.first else {
            throw DNS01Error(.zoneNotFound, "no zone on the PowerDNS server at \(client.host) (server \(messages.serverID)) contains \(fqdn.name) (it has \(count) zones)")
        }
        return zone
    }

    private func reportingFailures<T: Sendable>(for fqdn: DomainName, _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch {
            var context = messages
            context.name = fqdn.name
            throw PDNSErrorMessages.failure(error, context)
        }
    }
}

/// The rrset as the writer's last read saw it, for the write that follows.
private final class LastRead: Sendable {
    private let value = Mutex(PDNSClient.TXTSet(records: [], ttl: nil))
    var set: PDNSClient.TXTSet { value.withLock { $0 } }
    func remember(_ set: PDNSClient.TXTSet) { value.withLock { $0 = set } }
}

extension ValueSetWriter.Change {
    var isAdd: Bool {
        if case .add = self { return true }
        return false
    }
}
