import DNS01
import ProviderKit

/// The parts of DigitalOcean API v2 answers this provider reads; unknown fields are ignored.

/// `links.pages.next` is present while there are more pages (godo's `IsLastPage`).
struct DigitalOceanLinks: Decodable, Sendable {
    struct Pages: Decodable, Sendable {
        var next: String?
    }
    var pages: Pages?

    var hasNextPage: Bool { pages?.next != nil }
}

struct DigitalOceanDomainsPage: Decodable, Sendable {
    struct Domain: Decodable, Sendable {
        var name: String
    }
    var domains: [Domain]
    var links: DigitalOceanLinks?
}

struct DigitalOceanRecordsPage: Decodable, Sendable {
    var domainRecords: [DigitalOceanRecord]
    var links: DigitalOceanLinks?
    enum CodingKeys: String, CodingKey {
        case domainRecords = "domain_records"
        case links
    }
}

struct DigitalOceanRecord: Decodable, Sendable, Hashable {
    var id: Int64
    var type: String
    /// Relative to the domain, `@` for the apex.
    var name: String
    var data: String

    /// The TXT value: DigitalOcean stores data as sent; quoted data (written by other tools)
    /// is unquoted before comparing.
    var value: String { data.hasPrefix("\"") ? TXTRecord.unquoted(data) : data }
}

struct DigitalOceanCreated: Decodable, Sendable {
    var domainRecord: DigitalOceanRecord?
    enum CodingKeys: String, CodingKey { case domainRecord = "domain_record" }
}

/// The body of a record create.
struct DigitalOceanNewRecord: Encodable, Sendable {
    var type = "TXT"
    var name: String
    var data: String
    var ttl: Int
}

/// A domain of the account.
struct DigitalOceanDomain: AccountZone, Hashable {
    /// As the API names it (the path segment of its records).
    var apiName: String
    var zoneName: DomainName
}
