import DNS01
import DNSWire

/// One challenge's view of an RFC 2136 server: adds and deletes exactly one TXT value.
struct RFC2136DNSProvider: DNSProvider {
    /// The TTL of the records it adds (cert-manager's rfc2136 solver uses the same).
    static let ttl: UInt32 = 60

    let client: DNSUpdateClient

    /// RFC 2136 §3.4.2.2: adding an RR already in the RRset changes nothing, so a repeated
    /// present is a no-op.
    func present(_ challenge: Challenge) async throws {
        let zone = try await client.zone(of: challenge.resolvedFQDN.name, hint: challenge.resolvedZone?.name)
        try await client.update(zone: zone, [record(for: challenge)])
    }

    /// Class NONE deletes this one RR (§2.5.4) and leaves the other values at the name; deleting
    /// an RR that is not there changes nothing, so a repeated clean-up is a no-op.
    func cleanUp(_ challenge: Challenge) async throws {
        let zone = try await client.zone(of: challenge.resolvedFQDN.name, hint: challenge.resolvedZone?.name)
        try await client.update(zone: zone, [record(for: challenge).deletion])
    }

    func txtValues(at fqdn: DomainName, zone: DomainName?) async throws -> [String] {
        try await client.txtValues(at: fqdn.name)
    }

    private func record(for challenge: Challenge) -> ResourceRecord {
        .txt(name: challenge.resolvedFQDN.name, ttl: Self.ttl, value: challenge.key)
    }
}
