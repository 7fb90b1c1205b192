import DNS01
import ProviderKit

/// One domain of a DNSPod account.
struct DNSPodDomain: AccountZone, Hashable {
    var domainId: Int64
    /// The name as the API lists it (Unicode for internationalised domains); requests send it
    /// with the id.
    var apiName: String
    /// The canonical form (lower-case, punycode) that names are compared with.
    var zoneName: DomainName
}
