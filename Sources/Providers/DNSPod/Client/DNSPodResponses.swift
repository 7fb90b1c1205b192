/// The parts of DNSPod (API 3.0, version 2021-03-23) and STS (2018-08-13) answers this provider
/// reads. Unknown fields are ignored; the service adds fields over time.

struct DescribeDomainListResponse: Decodable, Sendable {
    struct Counts: Decodable, Sendable {
        /// Domains matching the request's filters; `AllTotal` counts every domain of the account.
        var domainTotal: Int?
        var allTotal: Int?
        enum CodingKeys: String, CodingKey {
            case domainTotal = "DomainTotal"
            case allTotal = "AllTotal"
        }
    }
    struct Domain: Decodable, Sendable {
        var domainId: Int64
        var name: String
        /// The ASCII form; DNSPod lists internationalised domains by their Unicode name.
        var punycode: String?
        enum CodingKeys: String, CodingKey {
            case domainId = "DomainId"
            case name = "Name"
            case punycode = "Punycode"
        }
    }
    var domainCountInfo: Counts?
    var domainList: [Domain]?
    enum CodingKeys: String, CodingKey {
        case domainCountInfo = "DomainCountInfo"
        case domainList = "DomainList"
    }
}

struct DescribeRecordListResponse: Decodable, Sendable {
    struct Counts: Decodable, Sendable {
        var totalCount: Int?
        enum CodingKeys: String, CodingKey { case totalCount = "TotalCount" }
    }
    struct Record: Decodable, Sendable, Hashable {
        var recordId: Int64
        /// Relative to the domain (`_acme-challenge.www`, `@`).
        var name: String
        var type: String
        var value: String
        var line: String?
        enum CodingKeys: String, CodingKey {
            case recordId = "RecordId"
            case name = "Name"
            case type = "Type"
            case value = "Value"
            case line = "Line"
        }
    }
    var recordCountInfo: Counts?
    var recordList: [Record]?
    enum CodingKeys: String, CodingKey {
        case recordCountInfo = "RecordCountInfo"
        case recordList = "RecordList"
    }
}

struct DescribeRecordResponse: Decodable, Sendable {
    struct Info: Decodable, Sendable {
        var subDomain: String
        var recordType: String
        var value: String
        enum CodingKeys: String, CodingKey {
            case subDomain = "SubDomain"
            case recordType = "RecordType"
            case value = "Value"
        }
    }
    var recordInfo: Info
    enum CodingKeys: String, CodingKey { case recordInfo = "RecordInfo" }
}

struct CreateRecordResponse: Decodable, Sendable {
    var recordId: Int64
    enum CodingKeys: String, CodingKey { case recordId = "RecordId" }
}

/// Actions that answer nothing but the request id.
struct EmptyTencentResponse: Decodable, Sendable {}

struct AssumeRoleWithWebIdentityResponse: Decodable, Sendable {
    struct Credentials: Decodable, Sendable {
        var token: String
        var tmpSecretId: String
        var tmpSecretKey: String
        enum CodingKeys: String, CodingKey {
            case token = "Token"
            case tmpSecretId = "TmpSecretId"
            case tmpSecretKey = "TmpSecretKey"
        }
    }
    var credentials: Credentials
    /// Unix seconds at which the keys stop working.
    var expiredTime: Int64
    enum CodingKeys: String, CodingKey {
        case credentials = "Credentials"
        case expiredTime = "ExpiredTime"
    }
}
