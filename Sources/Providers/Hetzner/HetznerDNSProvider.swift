import DNS01
import Logging
import ProviderKit

/// One challenge's Hetzner Cloud provider.
///
/// Present and CleanUp use the rrset actions `add_records` and `remove_records`, which add or
/// remove exactly one value on the server: a challenge never reads and rewrites the set, so
/// concurrent challenges on one name (apex and wildcard, two replicas) cannot lose each
/// other's value. Each waits until its action has finished.
struct HetznerDNSProvider: DNSProvider {
    let client: HetznerClient
    let token: HetznerToken
    let zones: ZoneFinder<HetznerZone>
    let account: AccountKey
    let configuredZone: DomainName?
    let ttl: Int
    let logger: Logger

    func present(_ challenge: Challenge) async throws {
        let fqdn = challenge.resolvedFQDN
        let value = TXTRecord.quoted(challenge.key)
        try await reportingFailures(for: fqdn) {
            let (zone, name) = try await locate(fqdn)
            do {
                let action = try await client.addRecords(zone: zone.name, name: name, values: [value], ttl: ttl)
                try await client.waitUntilFinished(action)
                logger.debug("Hetzner TXT value added", metadata: ["fqdn": "\(fqdn)", "zone": "\(zone.name)", "action": "\(action.id)"])
            } catch let error as HetznerAPIError where error.code == "invalid_input" {
                // The API refuses a value that is already there ("duplicate value"): a repeated
                // Present, or a retry whose first answer was lost. The value being there is
                // the outcome Present wants; any other invalid input is reported.
                guard try await client.txtRecords(zone: zone.name, name: name)?.contains(value) == true else { throw error }
                logger.debug("Hetzner TXT value already present", metadata: ["fqdn": "\(fqdn)", "zone": "\(zone.name)"])
            }
        }
    }

    func cleanUp(_ challenge: Challenge) async throws {
        let fqdn = challenge.resolvedFQDN
        let value = TXTRecord.quoted(challenge.key)
        try await reportingFailures(for: fqdn) {
            let (zone, name) = try await locate(fqdn)
            do {
                let action = try await client.removeRecords(zone: zone.name, name: name, values: [value])
                try await client.waitUntilFinished(action)
                logger.debug("Hetzner TXT value removed", metadata: ["fqdn": "\(fqdn)", "zone": "\(zone.name)", "action": "\(action.id)"])
            } catch let error as HetznerAPIError where error.code == "not_found" {
                // No TXT rrset at the name: nothing of ours to remove.
                logger.debug("Hetzner TXT rrset already gone", metadata: ["fqdn": "\(fqdn)", "zone": "\(zone.name)"])
            } catch let error as HetznerAPIError where error.code == "invalid_input" {
                // What the API answers for a value that is not in the set is not documented;
                // a value already gone is what CleanUp wants, anything else is reported.
                guard try await client.txtRecords(zone: zone.name, name: name)?.contains(value) != true else { throw error }
                logger.debug("Hetzner TXT value already gone", metadata: ["fqdn": "\(fqdn)", "zone": "\(zone.name)"])
            }
        }
    }

    func txtValues(at fqdn: DomainName, zone: DomainName?) async throws -> [String] {
        try await reportingFailures(for: fqdn) {
            let (zone, name) = try await locate(fqdn)
            return (try await client.txtRecords(zone: zone.name, name: name) ?? []).map(TXTRecord.unquoted)
        }
    }

    /// The zone that holds `fqdn` (the configured one, or the project's longest) and the
    /// record's name relative to it (`@` for the apex).
    private func locate(_ fqdn: DomainName) async throws -> (zone: DomainName, name: String) {
        if let configuredZone {
            guard let name = fqdn.relativeName(in: configuredZone) else {
                throw DNS01Error(.zoneNotFound, "\(fqdn.name) is not in the zone \(configuredZone.name) that zoneName names: remove zoneName, or set it to the zone that holds the name")
            }
            return (configuredZone, name)
        }
        let (matches, count) = try await zones.zones(holding: fqdn, account: account) { [client] in try await client.zones() }
        guard let zone = matches.first, let name = fqdn.relativeName(in: zone.zoneName) else {
            throw DNS01Error(
                .zoneNotFound,
                "no zone in the Hetzner Cloud project of the token from \(token.origin) contains \(fqdn.name) (the project holds \(count) zones): create the zone in the Hetzner Console (zones of the old DNS Console must be moved there), or use a token of the project that holds it"
            )
        }
        return (zone.zoneName, name)
    }

    private func reportingFailures<T: Sendable>(for fqdn: DomainName, _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch {
            throw HetznerErrorMessages.failure(error, name: fqdn.name, token: token, endpoint: client.endpoint)
        }
    }
}
