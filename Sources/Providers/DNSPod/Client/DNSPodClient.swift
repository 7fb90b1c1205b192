import DNS01
import ProviderKit

/// The DNSPod actions a DNS-01 solver needs, for one set of credentials.
struct DNSPodClient: Sendable {
    static let apiVersion = "2021-03-23"
    /// The documented maxima: 3000 domains, 3000 records per page.
    static let pageSize = 3000
    /// A bound on paging, in case a server keeps reporting more than it returns.
    static let maximumPages = 100

    let api: TencentAPIClient
    let credentials: any TencentCredentialSource

    /// Every domain of the account, own and shared (all pages), in canonical form.
    func accountDomains() async throws -> [DNSPodDomain] {
        var domains: [DescribeDomainListResponse.Domain] = []
        for page in 0..<Self.maximumPages {
            let response: DescribeDomainListResponse
            do {
                response = try await api.call(
                    "DescribeDomainList",
                    [
                        "Offset": .number(Double(page * Self.pageSize)),
                        "Limit": .number(Double(Self.pageSize)),
                    ], credentials: credentials)
            } catch let error as TencentAPIError where error.code == "ResourceNotFound.NoDataOfDomain" {
                break
            }
            let batch = response.domainList ?? []
            domains += batch
            let total = response.domainCountInfo?.domainTotal ?? response.domainCountInfo?.allTotal ?? 0
            if batch.count < Self.pageSize || domains.count >= total { break }
        }
        return domains.compactMap { item -> DNSPodDomain? in
            // Punycode is the ASCII form; DomainName also turns a Unicode name into punycode,
            // so either gives the same canonical name.
            guard let name = (try? DomainName(item.punycode ?? item.name)) ?? (try? DomainName(item.name)), !name.isRoot else { return nil }
            return DNSPodDomain(domainId: item.domainId, apiName: item.name, zoneName: name)
        }
    }

    /// The TXT records whose name is exactly `subDomain` (all pages). The result is filtered
    /// here again by name and type: the filter's matching rules are the service's to change.
    func txtRecords(in domain: DNSPodDomain, subDomain: String) async throws -> [DescribeRecordListResponse.Record] {
        var records: [DescribeRecordListResponse.Record] = []
        for page in 0..<Self.maximumPages {
            let response: DescribeRecordListResponse
            do {
                response = try await api.call(
                    "DescribeRecordList",
                    domainParameters(domain).merging([
                        "SubDomain": .string(subDomain),
                        "RecordType": "TXT",
                        "Offset": .number(Double(page * Self.pageSize)),
                        "Limit": .number(Double(Self.pageSize)),
                        "ErrorOnEmpty": "no",
                    ]) { $1 }, credentials: credentials)
            } catch let error as TencentAPIError where error.code == "ResourceNotFound.NoDataOfRecord" {
                break
            }
            let batch = response.recordList ?? []
            records += batch
            if batch.count < Self.pageSize || records.count >= (response.recordCountInfo?.totalCount ?? 0) { break }
        }
        return records.filter { $0.name.lowercased() == subDomain.lowercased() && $0.type.uppercased() == "TXT" }
    }

    /// One record's name and value (for a record the list does not show yet).
    func record(_ id: Int64, in domain: DNSPodDomain) async throws -> DescribeRecordResponse.Info {
        try await api.call("DescribeRecord", domainParameters(domain).merging(["RecordId": .number(Double(id))]) { $1 }, credentials: credentials, as: DescribeRecordResponse.self).recordInfo
    }

    @discardableResult
    func createTXTRecord(in domain: DNSPodDomain, subDomain: String, value: String, ttl: Int, line: String) async throws -> Int64 {
        try await api.call(
            "CreateRecord",
            domainParameters(domain).merging([
                "SubDomain": .string(subDomain),
                "RecordType": "TXT",
                "RecordLine": .string(line),
                "Value": .string(value),
                "TTL": .number(Double(ttl)),
            ]) { $1 }, credentials: credentials, as: CreateRecordResponse.self
        ).recordId
    }

    func deleteRecord(_ id: Int64, in domain: DNSPodDomain) async throws {
        _ = try await api.call("DeleteRecord", domainParameters(domain).merging(["RecordId": .number(Double(id))]) { $1 }, credentials: credentials, as: EmptyTencentResponse.self)
    }

    /// `Domain` is required by the API; `DomainId` wins over it and survives renames.
    private func domainParameters(_ domain: DNSPodDomain) -> [String: ConfigValue] {
        ["Domain": .string(domain.apiName), "DomainId": .number(Double(domain.domainId))]
    }
}
