import DNS01
import ProviderKit

/// One DNS zone of a Huawei Cloud account.
struct HuaweiZone: AccountZone, Hashable {
    var id: String
    /// The canonical form (lower-case, punycode) that names are compared with.
    var zoneName: DomainName
}
