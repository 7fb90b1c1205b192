import DNS01
import ProviderKit

/// One domain of an AliDNS account.
struct AccountDomain: AccountZone, Hashable {
    /// The name as the API lists it (Unicode for internationalised domains); requests use it.
    var apiName: String
    /// The canonical form (lower-case, punycode) that names are compared with.
    var zoneName: DomainName
}

extension AliDNSClient {
    /// Every domain of the account, in the canonical form the zone finder compares.
    func accountDomains() async throws -> [AccountDomain] {
        try await allDomains().compactMap { item -> AccountDomain? in
            // PunyCode is the ASCII form; DomainName is Unicode for IDNs, which DomainName also
            // turns into punycode, so either gives the same canonical name.
            guard let name = (try? DomainName(item.punyCode ?? item.domainName)) ?? (try? DomainName(item.domainName)), !name.isRoot else { return nil }
            return AccountDomain(apiName: item.domainName, zoneName: name)
        }
    }
}
