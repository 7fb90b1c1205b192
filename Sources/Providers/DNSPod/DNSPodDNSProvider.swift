import DNS01
import Logging
import ProviderKit

/// One challenge's DNSPod provider: its credentials, endpoint and record settings.
///
/// Records are handled one value at a time, so two challenges on one name (a certificate for
/// `example.com` and `*.example.com`) never touch each other's value: present creates only its
/// own record, clean-up deletes only records holding its own value (the popular webhooks delete
/// every TXT record at the name).
struct DNSPodDNSProvider: DNSProvider {
    let client: DNSPodClient
    let zones: ZoneFinder<DNSPodDomain>
    let account: AccountKey
    let ttl: Int
    let recordLine: String
    let created: CreatedRecordMemory
    let endpoint: BaseURL
    let logger: Logger

    /// One `CreateRecord` when warm: the service refuses an identical record on the same line
    /// (`InvalidParameter.DomainRecordExist`), which is success here, so no list is needed first.
    func present(_ challenge: Challenge) async throws {
        let fqdn = challenge.resolvedFQDN
        try await reportingFailures(for: fqdn) {
            let (domain, subDomain) = try await domain(containing: fqdn)
            do {
                let id = try await client.createTXTRecord(in: domain, subDomain: subDomain, value: challenge.key, ttl: ttl, line: recordLine)
                created.remember(id, for: memoryKey(domain, subDomain, challenge.key))
                logger.debug("DNSPod record created", metadata: ["fqdn": "\(fqdn)", "domain": "\(domain.apiName)", "recordId": "\(id)"])
            } catch let error as TencentAPIError where error.code == "InvalidParameter.DomainRecordExist" {
                // Created by a concurrent present, or by an attempt whose answer was lost.
                logger.debug("DNSPod record already present", metadata: ["fqdn": "\(fqdn)", "domain": "\(domain.apiName)"])
            }
        }
    }

    func cleanUp(_ challenge: Challenge) async throws {
        let fqdn = challenge.resolvedFQDN
        try await reportingFailures(for: fqdn) {
            let (domain, subDomain) = try await domain(containing: fqdn)
            let key = memoryKey(domain, subDomain, challenge.key)
            let listed = try await client.txtRecords(in: domain, subDomain: subDomain)
            var ids = listed.filter { $0.value == challenge.key }.map(\.recordId)
            // Records this process created that the lagging list does not show yet: delete
            // them only if they still hold this value at this name.
            for id in created.ids(for: key).subtracting(listed.map(\.recordId)).sorted() {
                guard let info = try await lookUp(id, in: domain) else { continue }
                if info.value == challenge.key, info.subDomain.lowercased() == subDomain.lowercased(), info.recordType.uppercased() == "TXT" {
                    ids.append(id)
                }
            }
            for id in ids {
                do {
                    try await client.deleteRecord(id, in: domain)
                    logger.debug("DNSPod record deleted", metadata: ["fqdn": "\(fqdn)", "recordId": "\(id)"])
                } catch let error as TencentAPIError where Self.meansRecordGone(error) {
                    // Already deleted by a concurrent clean-up.
                }
            }
            created.forget(key)
        }
    }

    func txtValues(at fqdn: DomainName, zone: DomainName?) async throws -> [String] {
        try await reportingFailures(for: fqdn) {
            let (domain, subDomain) = try await domain(containing: fqdn)
            return try await client.txtRecords(in: domain, subDomain: subDomain).map(\.value)
        }
    }

    private func lookUp(_ id: Int64, in domain: DNSPodDomain) async throws -> DescribeRecordResponse.Info? {
        do {
            return try await client.record(id, in: domain)
        } catch let error as TencentAPIError where Self.meansRecordGone(error) {
            return nil
        }
    }

    private static func meansRecordGone(_ error: TencentAPIError) -> Bool {
        error.code == "InvalidParameter.RecordIdInvalid" || error.code == "ResourceNotFound.NoDataOfRecord"
    }

    private func memoryKey(_ domain: DNSPodDomain, _ subDomain: String, _ value: String) -> CreatedRecordMemory.Key {
        CreatedRecordMemory.Key(account: account, domainId: domain.domainId, subDomain: subDomain, value: value)
    }

    /// The account domain that holds `fqdn` (the longest), and the record's name relative to it.
    private func domain(containing fqdn: DomainName) async throws -> (domain: DNSPodDomain, subDomain: String) {
        let (matches, count) = try await zones.zones(holding: fqdn, account: account) { [client] in try await client.accountDomains() }
        guard let domain = matches.first, let subDomain = fqdn.relativeName(in: domain.zoneName) else {
            throw DNS01Error(
                .zoneNotFound, "no domain in the DNSPod account of \(client.credentials.origin) contains \(fqdn.name) (the account holds \(count) domains): add the domain in the DNSPod console, or use the API key of the account that holds it")
        }
        return (domain, subDomain)
    }

    private func reportingFailures<T: Sendable>(for fqdn: DomainName, _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch {
            if let error = error as? TencentAPIError, error.code == "InvalidParameterValue.DomainNotExists" {
                // The cached domain list is stale (the domain was removed or moved): the next
                // attempt lists the account's domains again.
                zones.invalidate(account)
            }
            throw DNSPodErrorMessages.dnsFailure(error, name: fqdn.name, origin: client.credentials.origin, endpoint: endpoint)
        }
    }
}
