/// The parts of AliDNS (2015-01-09) and STS (2015-04-01) answers this provider reads.
/// Unknown fields are ignored; the service adds fields over time.

struct DescribeDomainsResponse: Decodable, Sendable {
    struct Domain: Decodable, Sendable {
        var domainName: String
        /// The ASCII (punycode) form; AliDNS lists internationalised domains by their Unicode name.
        var punyCode: String?
        enum CodingKeys: String, CodingKey {
            case domainName = "DomainName"
            case punyCode = "PunyCode"
        }
    }
    struct Domains: Decodable, Sendable {
        var domain: [Domain]
        enum CodingKeys: String, CodingKey { case domain = "Domain" }
    }
    var totalCount: Int
    var domains: Domains
    enum CodingKeys: String, CodingKey {
        case totalCount = "TotalCount"
        case domains = "Domains"
    }
}

struct DescribeDomainRecordsResponse: Decodable, Sendable {
    struct Record: Decodable, Sendable, Hashable {
        var recordId: String
        var rr: String
        var type: String
        var value: String
        var line: String?
        enum CodingKeys: String, CodingKey {
            case recordId = "RecordId"
            case rr = "RR"
            case type = "Type"
            case value = "Value"
            case line = "Line"
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            recordId = try container.decodeNumericString(forKey: .recordId)
            rr = try container.decode(String.self, forKey: .rr)
            type = try container.decode(String.self, forKey: .type)
            value = try container.decode(String.self, forKey: .value)
            line = try container.decodeIfPresent(String.self, forKey: .line)
        }
    }
    struct Records: Decodable, Sendable {
        var record: [Record]
        enum CodingKeys: String, CodingKey { case record = "Record" }
    }
    var totalCount: Int
    var domainRecords: Records
    enum CodingKeys: String, CodingKey {
        case totalCount = "TotalCount"
        case domainRecords = "DomainRecords"
    }
}

/// `AddDomainRecord` and `DeleteDomainRecord` both answer with the record's id.
struct RecordIdResponse: Decodable, Sendable {
    var recordId: String
    enum CodingKeys: String, CodingKey { case recordId = "RecordId" }

    init(from decoder: any Decoder) throws {
        recordId = try decoder.container(keyedBy: CodingKeys.self).decodeNumericString(forKey: .recordId)
    }
}

struct AssumeRoleWithOIDCResponse: Decodable, Sendable {
    struct Credentials: Decodable, Sendable {
        var accessKeyId: String
        var accessKeySecret: String
        var securityToken: String
        var expiration: String
        enum CodingKeys: String, CodingKey {
            case accessKeyId = "AccessKeyId"
            case accessKeySecret = "AccessKeySecret"
            case securityToken = "SecurityToken"
            case expiration = "Expiration"
        }
    }
    var credentials: Credentials
    enum CodingKeys: String, CodingKey { case credentials = "Credentials" }
}

extension KeyedDecodingContainer {
    /// Record ids are numeric strings (`"9999985"`); keep them as text, accepting a bare number too.
    func decodeNumericString(forKey key: Key) throws -> String {
        if let text = try? decode(String.self, forKey: key) { return text }
        return String(try decode(Int64.self, forKey: key))
    }
}
