import DNS01
import ProviderKit

/// One zone of a PowerDNS server.
struct PDNSZone: AccountZone, Hashable {
    /// The zone's id in API paths (`example.com.`, escaped by the server for odd names).
    var id: String
    var zoneName: DomainName
}
