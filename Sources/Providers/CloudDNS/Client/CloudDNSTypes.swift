import DNS01
import ProviderKit

/// A managed zone as `managedZones.list` answers it.
struct ManagedZone: AccountZone, Decodable, Sendable {
    var name: String
    var dnsName: String
    /// `public` or `private`.
    var visibility: String?

    var zoneName: DomainName { (try? DomainName(dnsName)) ?? .root }
    var isPublic: Bool { (visibility ?? "public") == "public" }
}

struct ManagedZonesPage: Decodable, Sendable {
    var managedZones: [ManagedZone]?
    var nextPageToken: String?
}

/// A resource record set: every record of one name and type. A change's deletion must repeat
/// the set exactly as it is (name, type, TTL and data), which makes a change a
/// compare-and-swap.
struct ResourceRecordSet: Codable, Sendable, Hashable {
    var name: String
    var type: String
    var ttl: Int
    var rrdatas: [String]
}

struct ResourceRecordSetsPage: Decodable, Sendable {
    var rrsets: [ResourceRecordSet]?
    var nextPageToken: String?
}

struct ChangeRequest: Encodable, Sendable {
    var additions: [ResourceRecordSet]?
    var deletions: [ResourceRecordSet]?
}

/// A change as `changes.create` and `changes.get` answer it.
struct Change: Decodable, Sendable {
    var id: String?
    /// `pending` or `done`.
    var status: String?
}
