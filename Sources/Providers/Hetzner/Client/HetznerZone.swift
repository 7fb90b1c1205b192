import DNS01
import ProviderKit

/// One DNS zone of a Hetzner Cloud project.
struct HetznerZone: AccountZone, Hashable {
    var id: Int64
    /// Canonical (lower-case, punycode), which is also how the API names zones in paths.
    var zoneName: DomainName
}
