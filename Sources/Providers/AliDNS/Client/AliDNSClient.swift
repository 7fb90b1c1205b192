import DNS01

/// The four AliDNS actions a DNS-01 solver needs, for one set of credentials.
struct AliDNSClient: Sendable {
    static let apiVersion = "2015-01-09"
    /// The documented maxima: 100 domains, 500 records per page.
    static let domainsPageSize = 100
    static let recordsPageSize = 500
    /// A bound on paging, in case a server keeps reporting more than it returns.
    static let maximumPages = 200

    let rpc: RPCClient
    let credentials: any AliCredentialSource

    /// Every domain of the account (all pages).
    func allDomains() async throws -> [DescribeDomainsResponse.Domain] {
        try await collectPages { page in
            let response = try await rpc.call(
                "DescribeDomains",
                [
                    RPCParameter("PageNumber", String(page)),
                    RPCParameter("PageSize", String(Self.domainsPageSize)),
                ], credentials: credentials, as: DescribeDomainsResponse.self)
            return (response.domains.domain, response.totalCount)
        }
    }

    /// The TXT records whose RR is exactly `rr` (all pages). The service's `RRKeyWord` is a
    /// case-insensitive substring match (`_acme-challenge` also finds `_acme-challenge.www`), so
    /// the exact comparison happens here. `SearchMode` is left out on purpose: with it, the
    /// service ignores `RRKeyWord` and `Type`.
    func txtRecords(domainName: String, rr: String) async throws -> [DescribeDomainRecordsResponse.Record] {
        let all = try await collectPages { page in
            let response = try await rpc.call(
                "DescribeDomainRecords",
                [
                    RPCParameter("DomainName", domainName),
                    RPCParameter("RRKeyWord", rr),
                    RPCParameter("Type", "TXT"),
                    RPCParameter("PageNumber", String(page)),
                    RPCParameter("PageSize", String(Self.recordsPageSize)),
                ], credentials: credentials, as: DescribeDomainRecordsResponse.self)
            return (response.domainRecords.record, response.totalCount)
        }
        return all.filter { $0.rr.lowercased() == rr.lowercased() && $0.type.uppercased() == "TXT" }
    }

    @discardableResult
    func addTXTRecord(domainName: String, rr: String, value: String, ttl: Int, line: String?) async throws -> String {
        var parameters = [
            RPCParameter("DomainName", domainName),
            RPCParameter("RR", rr),
            RPCParameter("Type", "TXT"),
            RPCParameter("Value", value),
            RPCParameter("TTL", String(ttl)),
        ]
        if let line { parameters.append(RPCParameter("Line", line)) }
        return try await rpc.call("AddDomainRecord", parameters, credentials: credentials, as: RecordIdResponse.self).recordId
    }

    func deleteRecord(id: String) async throws {
        _ = try await rpc.call("DeleteDomainRecord", [RPCParameter("RecordId", id)], credentials: credentials, as: RecordIdResponse.self)
    }

    /// Pages 1, 2, … until `totalCount` items arrived or a page comes back empty.
    private func collectPages<Item>(_ fetch: (_ page: Int) async throws -> ([Item], totalCount: Int)) async throws -> [Item] {
        var items: [Item] = []
        for page in 1...Self.maximumPages {
            let (batch, total) = try await fetch(page)
            items += batch
            if batch.isEmpty || items.count >= total { break }
        }
        return items
    }
}
