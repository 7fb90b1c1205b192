import DNS01
import Logging
import ProviderKit

/// One challenge's Gandi LiveDNS provider.
///
/// LiveDNS stores the TXT values of a name as one rrset and can only replace the whole list,
/// with no ETag or If-Match; the one guard it offers is that creating an rrset (`POST`) fails
/// with 409 when it exists. So every change is a read-modify-write through the plugin's
/// `ValueSetWriter`: changes to one name are serialized (and coalesced) within the process,
/// the new list is written (`POST` when there was no rrset, `PUT` otherwise, `DELETE` when it
/// becomes empty), and the rrset is read again to verify; a value another writer removed in
/// between is written again. A writer outside this process that rewrites the rrset after our
/// verifying read can still drop our value: see the descriptor's notes.
struct GandiDNSProvider: DNSProvider {
    let client: GandiClient
    let zones: ZoneFinder<GandiDomain>
    let account: AccountKey
    let writer: ValueSetWriter<AccountScopedKey<String>>
    let ttl: Int
    let logger: Logger

    func present(_ challenge: Challenge) async throws {
        try await change(.add(TXTRecord.quoted(challenge.key)), at: challenge.resolvedFQDN)
    }

    func cleanUp(_ challenge: Challenge) async throws {
        try await change(.remove(TXTRecord.quoted(challenge.key)), at: challenge.resolvedFQDN)
    }

    func txtValues(at fqdn: DomainName, zone: DomainName?) async throws -> [String] {
        var domain: String?
        do {
            let (zone, name) = try await locate(fqdn)
            domain = zone.name
            return try await client.txtValues(domain: zone.name, name: name).map(TXTRecord.unquoted)
        } catch {
            throw GandiErrorMessages.failure(error, name: fqdn.name, domain: domain, credential: client.credential, endpoint: client.endpoint)
        }
    }

    private func change(_ change: ValueSetWriter<AccountScopedKey<String>>.Change, at fqdn: DomainName) async throws {
        var domain: String?
        do {
            let (zone, name) = try await locate(fqdn)
            domain = zone.name
            try await writer.apply(change, at: AccountScopedKey(account, fqdn.name), store: store(domain: zone.name, name: name))
            logger.debug("Gandi TXT rrset updated", metadata: ["fqdn": "\(fqdn)", "domain": "\(zone.name)"])
        } catch {
            throw GandiErrorMessages.failure(error, name: fqdn.name, domain: domain, credential: client.credential, endpoint: client.endpoint)
        }
    }

    /// How the writer reads and writes the rrset at `name` in `domain`.
    private func store(domain: String, name: String) -> ValueSetWriter<AccountScopedKey<String>>.Store {
        let client = self.client
        let ttl = self.ttl
        return .init(
            read: { try await client.txtValues(domain: domain, name: name) },
            write: { values, current in
                guard current.isEmpty else {
                    try await client.replaceTXT(domain: domain, name: name, values: values, ttl: ttl)
                    return
                }
                do {
                    try await client.createTXT(domain: domain, name: name, values: values, ttl: ttl)
                } catch let error as GandiAPIError where error.status == 409 {
                    // Someone created the rrset since we read it: keep their values.
                    let theirs = try await client.txtValues(domain: domain, name: name)
                    let merged = theirs + values.filter { value in !theirs.contains { TXTRecord.unquoted($0) == TXTRecord.unquoted(value) } }
                    try await client.replaceTXT(domain: domain, name: name, values: merged, ttl: ttl)
                }
            },
            delete: { _ in try await client.deleteTXT(domain: domain, name: name) },
            comparable: TXTRecord.unquoted
        )
    }

    /// The LiveDNS domain that holds `fqdn` (the account's longest) and the record's name
    /// relative to it (`@` for the apex).
    private func locate(_ fqdn: DomainName) async throws -> (zone: DomainName, name: String) {
        let (matches, count) = try await zones.zones(holding: fqdn, account: account) { [client] in try await client.domains() }
        guard let zone = matches.first, let name = fqdn.relativeName(in: zone.zoneName) else {
            throw DNS01Error(
                .zoneNotFound,
                "no domain served by Gandi LiveDNS for the \(client.credential.kind) from \(client.credential.origin) contains \(fqdn.name) (it sees \(count) domains): check that the domain uses LiveDNS name servers and that the token may access it")
        }
        return (zone.zoneName, name)
    }
}
