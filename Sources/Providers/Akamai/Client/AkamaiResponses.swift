import DNS01
import ProviderKit

/// The parts of Edge DNS (config-dns v2) answers this provider reads.

/// A record set: `{name, type, ttl, rdata}`; TXT rdata are zone-file strings (`"\"value\""`).
struct AkamaiRecordSet: Codable, Sendable, Hashable {
    var name: String
    var type: String
    var ttl: Int
    var rdata: [String]

    /// The values the rdata carry, unquoted.
    var values: [String] { rdata.map(TXTRecord.unquoted) }

    func holds(_ value: String) -> Bool { rdata.contains { TXTRecord.unquoted($0) == value } }
}

struct AkamaiZonesPage: Decodable, Sendable {
    struct Metadata: Decodable, Sendable {
        var totalElements: Int?
    }
    struct Zone: Decodable, Sendable {
        var zone: String
    }
    var metadata: Metadata?
    var zones: [Zone]
}

/// An Edge DNS zone the API client can see.
struct AkamaiZone: AccountZone, Hashable {
    /// As the API names it (the path segment of its record sets).
    var apiName: String
    var zoneName: DomainName
}
