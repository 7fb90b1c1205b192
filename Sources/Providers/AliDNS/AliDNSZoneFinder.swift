import DNS01
import ProviderKit

/// One domain of an AliDNS account.
struct AccountDomain: Sendable, Hashable {
    /// The name as the API lists it (Unicode for internationalised domains); requests use it.
    var apiName: String
    /// The canonical form (lower-case, punycode) that names are compared with.
    var name: DomainName
}

/// The account's domains, as loaded at one moment.
struct AccountDomainList: Sendable {
    var domains: [AccountDomain]
    var loadedAt: ContinuousClock.Instant
}

/// Finds the account domain a record name belongs to: the longest one the name ends with, at
/// a label boundary. cert-manager's `resolvedZone` is not trusted for this: behind split DNS it
/// can be a TLD (`com.`), and an account may hold nested domains (`example.com` and
/// `cn.example.com`) where only the longest is right.
struct AliDNSZoneFinder: Sendable {
    /// How long a domain list is reused; bounded so added or removed domains are noticed.
    static let listLifetime: Duration = .seconds(300)
    /// A miss reloads the list once, unless it is younger than this.
    static let reloadOnMissAfter: Duration = .seconds(10)

    let client: AliDNSClient
    let cache: ExpiringCache<String, AccountDomainList>
    /// Endpoint and credential identity: accounts never see each other's lists.
    let cacheKey: String

    func domain(containing fqdn: DomainName) async throws -> (domain: AccountDomain, rr: String) {
        var list = try await load()
        if Self.longestMatch(for: fqdn, in: list.domains) == nil, ContinuousClock.now - list.loadedAt > Self.reloadOnMissAfter {
            // The domain may have been added since the list was cached.
            cache.invalidate(cacheKey)
            list = try await load()
        }
        guard let domain = Self.longestMatch(for: fqdn, in: list.domains), let rr = fqdn.relativeName(in: domain.name) else {
            throw DNS01Error(.zoneNotFound, "no domain in the AliDNS account of \(client.credentials.origin) contains \(fqdn.name) (the account holds \(list.domains.count) domains): add the domain in the Alibaba Cloud DNS console, or use the AccessKey of the account that holds it")
        }
        return (domain, rr)
    }

    static func longestMatch(for fqdn: DomainName, in domains: [AccountDomain]) -> AccountDomain? {
        domains.filter { fqdn.isSubdomain(of: $0.name) }.max { $0.name.labelCount < $1.name.labelCount }
    }

    private func load() async throws -> AccountDomainList {
        try await cache.value(for: cacheKey) { [client] in
            let listed = try await client.allDomains()
            let domains = listed.compactMap { item -> AccountDomain? in
                // PunyCode is the ASCII form; DomainName is Unicode for IDNs, which DomainName
                // also turns into punycode, so either gives the same canonical name.
                guard let name = (try? DomainName(item.punyCode ?? item.domainName)) ?? (try? DomainName(item.domainName)), !name.isRoot else { return nil }
                return AccountDomain(apiName: item.domainName, name: name)
            }
            return (AccountDomainList(domains: domains, loadedAt: .now), validFor: Self.listLifetime)
        }
    }
}
