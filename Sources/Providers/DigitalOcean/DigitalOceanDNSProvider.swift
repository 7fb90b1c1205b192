import DNS01
import Logging
import ProviderKit

/// One challenge's DigitalOcean provider.
///
/// Every TXT value is its own record, created by one POST and deleted by its id, so two
/// challenges on one name and any number of replicas never touch each other's value; CleanUp
/// deletes only records whose data is its own value (cert-manager once deleted every TXT record
/// at the name, cert-manager#9099). DigitalOcean accepts duplicate records, so Present lists the
/// name first and adds its value only if it is missing: two calls warm, as is CleanUp.
struct DigitalOceanDNSProvider: DNSProvider {
    let client: DigitalOceanClient
    let zones: ZoneFinder<DigitalOceanDomain>
    let account: AccountKey
    let logger: Logger

    func present(_ challenge: Challenge) async throws {
        let fqdn = challenge.resolvedFQDN
        try await reportingFailures(for: fqdn) {
            let domain = try await domain(holding: fqdn)
            if try await client.txtRecords(domain: domain, name: fqdn).contains(where: { $0.value == challenge.key }) {
                logger.debug("DigitalOcean TXT record already present", metadata: ["fqdn": "\(fqdn)", "domain": "\(domain.apiName)"])
                return
            }
            let id = try await client.createTXT(domain: domain, name: fqdn, value: challenge.key, ttl: DigitalOceanConfiguration.ttl)
            logger.debug("DigitalOcean TXT record created", metadata: ["fqdn": "\(fqdn)", "domain": "\(domain.apiName)", "recordId": "\(id.map(String.init) ?? "?")"])
        }
    }

    func cleanUp(_ challenge: Challenge) async throws {
        let fqdn = challenge.resolvedFQDN
        try await reportingFailures(for: fqdn) {
            let domain = try await domain(holding: fqdn)
            for record in try await client.txtRecords(domain: domain, name: fqdn) where record.value == challenge.key {
                let deleted = try await client.deleteRecord(domain: domain, id: record.id)
                logger.debug(
                    deleted ? "DigitalOcean TXT record deleted" : "DigitalOcean TXT record already gone",
                    metadata: [
                        "fqdn": "\(fqdn)", "domain": "\(domain.apiName)", "recordId": "\(record.id)",
                    ])
            }
        }
    }

    func txtValues(at fqdn: DomainName, zone: DomainName?) async throws -> [String] {
        try await reportingFailures(for: fqdn) {
            try await client.txtRecords(domain: try await domain(holding: fqdn), name: fqdn).map(\.value)
        }
    }

    /// The account's domain with the longest name that holds `fqdn`. (cert-manager uses its SOA
    /// walk instead, which behind split DNS can give a zone the account does not hold.)
    private func domain(holding fqdn: DomainName) async throws -> DigitalOceanDomain {
        let (matches, count) = try await zones.zones(holding: fqdn, account: account) { [client] in try await client.domains() }
        guard let domain = matches.first else {
            throw DNS01Error(.zoneNotFound, "no domain of the DigitalOcean account of \(client.token.origin) holds \(fqdn.name) (the account has \(count) domains): add the domain under Networking → Domains, or use that account's token")
        }
        return domain
    }

    private func reportingFailures<T: Sendable>(for fqdn: DomainName, _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch {
            // A domain removed since the list was cached answers 404: list again next time.
            if let apiError = error as? DigitalOceanAPIError, apiError.status == 404 {
                zones.invalidate(account)
            }
            throw DigitalOceanErrorMessages.failure(error, name: fqdn, token: client.token, endpoint: client.endpoint)
        }
    }
}
