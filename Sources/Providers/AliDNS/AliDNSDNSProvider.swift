import DNS01
import Logging
import ProviderKit

/// One challenge's AliDNS provider: its credentials, endpoint and record settings.
///
/// Records are handled one value at a time, so two challenges on one name (a certificate for
/// `example.com` and `*.example.com`) never touch each other's value: present adds only its
/// own value, clean-up deletes only records holding its own value.
struct AliDNSDNSProvider: DNSProvider {
    let client: AliDNSClient
    let zones: ZoneFinder<AccountDomain>
    let account: AccountKey
    let ttl: Int
    let line: String?
    let endpoint: BaseURL
    let logger: Logger

    func present(_ challenge: Challenge) async throws {
        let fqdn = challenge.resolvedFQDN
        try await reportingFailures(for: fqdn) {
            let (domain, rr) = try await domain(containing: fqdn)
            let records = try await client.txtRecords(domainName: domain.apiName, rr: rr)
            if records.contains(where: { $0.value == challenge.key && servesConfiguredLine($0) }) {
                logger.debug("AliDNS record already present", metadata: ["fqdn": "\(fqdn)", "domain": "\(domain.apiName)"])
                return
            }
            do {
                let id = try await client.addTXTRecord(domainName: domain.apiName, rr: rr, value: challenge.key, ttl: ttl, line: line)
                logger.debug("AliDNS record added", metadata: ["fqdn": "\(fqdn)", "domain": "\(domain.apiName)", "recordId": "\(id)"])
            } catch let error as AliAPIError where error.code == "DomainRecordDuplicate" {
                // Added by a concurrent present, or by an attempt whose answer was lost.
            }
        }
    }

    func cleanUp(_ challenge: Challenge) async throws {
        let fqdn = challenge.resolvedFQDN
        try await reportingFailures(for: fqdn) {
            let (domain, rr) = try await domain(containing: fqdn)
            let records = try await client.txtRecords(domainName: domain.apiName, rr: rr)
            for record in records where record.value == challenge.key {
                do {
                    try await client.deleteRecord(id: record.recordId)
                    logger.debug("AliDNS record deleted", metadata: ["fqdn": "\(fqdn)", "recordId": "\(record.recordId)"])
                } catch let error as AliAPIError where error.code == "DomainRecordNotBelongToUser" {
                    // Already deleted by a concurrent clean-up.
                }
            }
        }
    }

    func txtValues(at fqdn: DomainName, zone: DomainName?) async throws -> [String] {
        try await reportingFailures(for: fqdn) {
            let (domain, rr) = try await domain(containing: fqdn)
            return try await client.txtRecords(domainName: domain.apiName, rr: rr).map(\.value)
        }
    }

    /// The account domain that holds `fqdn` (the longest), and the record's name relative to it.
    private func domain(containing fqdn: DomainName) async throws -> (domain: AccountDomain, rr: String) {
        let (matches, count) = try await zones.zones(holding: fqdn, account: account) { [client] in try await client.accountDomains() }
        guard let domain = matches.first, let rr = fqdn.relativeName(in: domain.zoneName) else {
            throw DNS01Error(
                .zoneNotFound,
                "no domain in the AliDNS account of \(client.credentials.origin) contains \(fqdn.name) (the account holds \(count) domains): add the domain in the Alibaba Cloud DNS console, or use the AccessKey of the account that holds it")
        }
        return (domain, rr)
    }

    /// A record is on the configured line (`default` unless the config names one).
    private func servesConfiguredLine(_ record: DescribeDomainRecordsResponse.Record) -> Bool {
        (record.line ?? "default") == (line ?? "default")
    }

    private func reportingFailures<T: Sendable>(for fqdn: DomainName, _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch {
            throw AliDNSErrorMessages.dnsFailure(error, name: fqdn.name, origin: client.credentials.origin, endpoint: endpoint)
        }
    }
}
