import DNS01
import ProviderKit

/// One domain whose zone LiveDNS serves for the account.
struct GandiDomain: AccountZone, Hashable {
    /// Canonical (lower-case, punycode); requests name the domain by it.
    var zoneName: DomainName
}
