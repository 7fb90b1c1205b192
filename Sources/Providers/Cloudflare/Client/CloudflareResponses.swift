import DNS01
import ProviderKit

/// Cloudflare API v4's envelope: `{success, errors, messages, result, result_info}`. Unknown
/// fields are ignored; Cloudflare adds fields over time.
struct CloudflareEnvelope<Result: Decodable & Sendable>: Decodable, Sendable {
    var success: Bool?
    var errors: [CloudflareMessage]?
    var result: Result?
    var resultInfo: ResultInfo?

    struct ResultInfo: Decodable, Sendable {
        var page: Int?
        var totalPages: Int?
        enum CodingKeys: String, CodingKey {
            case page
            case totalPages = "total_pages"
        }
    }

    enum CodingKeys: String, CodingKey {
        case success, errors, result
        case resultInfo = "result_info"
    }
}

/// One entry of `errors` (with its `error_chain`, which holds the precise reason for 6003).
struct CloudflareMessage: Decodable, Sendable, Hashable {
    var code: Int
    var message: String
    var errorChain: [CloudflareMessage]?

    enum CodingKeys: String, CodingKey {
        case code, message
        case errorChain = "error_chain"
    }
}

/// A zone of the account, as `GET /zones` lists it.
struct CloudflareZone: AccountZone, Hashable {
    var id: String
    var zoneName: DomainName
    var status: String?
}

/// The parts of a zone this provider reads.
struct CloudflareZoneItem: Decodable, Sendable {
    var id: String
    var name: String
    var status: String?
}

/// The parts of a DNS record this provider reads. Records no longer carry `zone_id` (since
/// 2025; cert-manager#7540), so nothing here depends on it.
struct CloudflareRecord: Decodable, Sendable, Hashable {
    var id: String
    var name: String
    var type: String
    var content: String

    /// The TXT value the record carries: Cloudflare has been seen to store TXT content quoted
    /// (`"value"`), so quoted content is unquoted before comparing with a challenge key; bare
    /// content is the value as it is.
    var value: String { content.hasPrefix("\"") ? TXTRecord.unquoted(content) : content }
}

/// `{"result": {"id": …}}` of a delete.
struct CloudflareDeleted: Decodable, Sendable {
    var id: String?
}

/// The body of a record create.
struct CloudflareNewRecord: Encodable, Sendable {
    var type = "TXT"
    var name: String
    var content: String
    var ttl: Int
}
