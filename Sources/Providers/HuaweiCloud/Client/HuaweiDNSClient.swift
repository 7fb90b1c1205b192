import DNS01
import ProviderKit

/// The Huawei Cloud DNS v2 operations a DNS-01 solver needs, for one set of credentials.
struct HuaweiDNSClient: Sendable {
    /// The documented maximum page size of zone and record set lists.
    static let pageSize = 500
    /// A bound on paging, in case a server keeps reporting more than it returns.
    static let maximumPages = 100

    let api: HuaweiAPIClient

    /// Every zone of the account of `type` (`public` or `private`), all pages.
    func zones(type: String) async throws -> [HuaweiZone] {
        var all: [ListZonesResponse.Zone] = []
        for page in 0..<Self.maximumPages {
            let response = try await api.call(
                "ListZones", "GET", "/v2/zones",
                query: [
                    ("type", type), ("limit", String(Self.pageSize)), ("offset", String(page * Self.pageSize)),
                ], as: ListZonesResponse.self)
            let batch = response.zones ?? []
            all += batch
            if batch.count < Self.pageSize || all.count >= (response.metadata?.totalCount ?? 0) { break }
        }
        return all.compactMap { zone in
            guard let name = try? DomainName(zone.name), !name.isRoot else { return nil }
            return HuaweiZone(id: zone.id, zoneName: name)
        }
    }

    /// The TXT record sets named exactly `fqdn` (the name filter is a substring match unless
    /// `search_mode=equal`, and the result is filtered here again), without sets being deleted.
    func txtRecordSets(zoneId: String, fqdn: DomainName) async throws -> [RecordSet] {
        var all: [RecordSet] = []
        for page in 0..<Self.maximumPages {
            let response = try await api.call(
                "ListRecordSetsByZone", "GET", "/v2/zones/\(PercentEncoding.rfc3986(zoneId))/recordsets",
                query: [
                    ("type", "TXT"), ("name", fqdn.fqdn), ("search_mode", "equal"),
                    ("limit", String(Self.pageSize)), ("offset", String(page * Self.pageSize)),
                ], as: ListRecordSetsResponse.self)
            let batch = response.recordsets ?? []
            all += batch
            if batch.count < Self.pageSize || all.count >= (response.metadata?.totalCount ?? 0) { break }
        }
        return all.filter { set in
            set.type.uppercased() == "TXT" && (try? DomainName(set.name)) == fqdn && set.status?.uppercased() != "PENDING_DELETE"
        }
    }

    func createRecordSet(zoneId: String, fqdn: DomainName, records: [String], ttl: Int) async throws {
        _ = try await api.call(
            "CreateRecordSet", "POST", "/v2/zones/\(PercentEncoding.rfc3986(zoneId))/recordsets",
            body: [
                "name": .string(fqdn.fqdn),
                "type": "TXT",
                "ttl": .number(Double(ttl)),
                "records": .array(records.map { .string($0) }),
                "description": "ACME DNS-01 challenge (dns01-webhook)",
            ], as: EmptyHuaweiResponse.self)
    }

    /// Replaces the set's values; no precondition exists, so the caller serialises and verifies.
    /// The set's TTL is sent as it was: the API may reset an omitted one to its default.
    func updateRecordSet(zoneId: String, id: String, fqdn: DomainName, records: [String], ttl: Int) async throws {
        _ = try await api.call(
            "UpdateRecordSet", "PUT", "/v2/zones/\(PercentEncoding.rfc3986(zoneId))/recordsets/\(PercentEncoding.rfc3986(id))",
            body: [
                "name": .string(fqdn.fqdn),
                "type": "TXT",
                "ttl": .number(Double(ttl)),
                "records": .array(records.map { .string($0) }),
            ], as: EmptyHuaweiResponse.self)
    }

    func deleteRecordSet(zoneId: String, id: String) async throws {
        _ = try await api.call("DeleteRecordSet", "DELETE", "/v2/zones/\(PercentEncoding.rfc3986(zoneId))/recordsets/\(PercentEncoding.rfc3986(id))", as: EmptyHuaweiResponse.self)
    }
}
