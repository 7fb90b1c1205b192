import DNS01
import Foundation
import ProviderKit

/// A DNS zone of the resource group, as Resource Manager lists it.
struct AzureZone: AccountZone, Hashable {
    var zoneName: DomainName
    /// The name as Azure spells it, for request paths.
    var azureName: String
}

/// A TXT record set: its records (each a list of strings of up to 255 characters, joined to
/// give the value), TTL, metadata and ETag. Public zones spell the properties `TTL` and
/// `TXTRecords`.
struct AzureTXTRecordSet: Sendable, Hashable, Codable {
    var etag: String?
    var properties: Properties

    struct Properties: Sendable, Hashable, Codable {
        var ttl: Int?
        var metadata: [String: String]?
        var txtRecords: [TXTRecord]?

        enum CodingKeys: String, CodingKey {
            case ttl = "TTL"
            case metadata
            case txtRecords = "TXTRecords"
        }
    }

    struct TXTRecord: Sendable, Hashable, Codable {
        var value: [String]
    }

    /// The records' string lists.
    var records: [[String]] { (properties.txtRecords ?? []).map(\.value) }

    /// The body of a PUT: what is written, nothing Azure computes.
    static func body(records: [[String]], ttl: Int, metadata: [String: String]?) throws -> [UInt8] {
        let set = AzureTXTRecordSet(etag: nil, properties: Properties(ttl: ttl, metadata: metadata, txtRecords: records.map(TXTRecord.init(value:))))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(set))
    }
}

/// `{value: [...], nextLink}` of a list.
struct ARMList<Item: Decodable & Sendable>: Decodable, Sendable {
    var value: [Item]?
    var nextLink: String?
}

/// The parts of a zone this provider reads.
struct ARMZoneItem: Decodable, Sendable {
    var name: String
}

/// One TXT value as the set-writer sees it: the record's string list, in JSON, so a foreign
/// record split over several strings is written back exactly as it was read; compared by the
/// joined value.
enum TXTRecordForm {
    static func encode(_ strings: [String]) -> String {
        (try? String(decoding: JSONEncoder().encode(strings), as: UTF8.self)) ?? "[]"
    }

    static func decode(_ form: String) -> [String] {
        (try? JSONDecoder().decode([String].self, from: Data(form.utf8))) ?? [form]
    }

    /// The value the record carries.
    static func joined(_ form: String) -> String { decode(form).joined() }

    /// A challenge value as a record: strings of at most 255 bytes (an ACME value is one).
    static func record(for value: String) -> [String] {
        var strings: [String] = []
        var current = ""
        for character in value {
            if current.utf8.count + character.utf8.count > 255 {
                strings.append(current)
                current = ""
            }
            current.append(character)
        }
        if !current.isEmpty || strings.isEmpty { strings.append(current) }
        return strings
    }
}
