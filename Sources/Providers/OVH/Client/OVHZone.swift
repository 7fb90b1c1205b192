import DNS01
import ProviderKit

/// One DNS zone of the OVH account.
struct OVHZone: AccountZone, Hashable {
    /// The zone's name in API paths, as the API lists it.
    var apiName: String
    var zoneName: DomainName
}

/// One record, as `GET /domain/zone/{zone}/record/{id}` returns it.
struct OVHRecord: Decodable, Sendable, Hashable {
    var id: Int64
    var fieldType: String
    var subDomain: String?
    var target: String
}
