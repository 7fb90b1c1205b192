import DNS01
import ProviderKit

/// Where one challenge's access tokens come from: a service-account key, a workload identity
/// federation file, or the metadata server.
protocol GoogleTokenSource: Sendable {
    /// Who the tokens are for, as messages name it (never a secret).
    var origin: String { get }
    /// The principal and the endpoint that issues its tokens: sources with one identity share
    /// cached tokens, zone lists and queues; sources with different ones never do.
    var identity: String { get }
    /// A fresh token, valid from `epochSeconds`.
    func fetch(epochSeconds: Int64) async throws -> IssuedAccessToken
}

/// The access tokens of one source, cached until shortly before they expire
/// (`CredentialRefresh`), keyed by the source's identity and the scopes.
struct GoogleAccessTokens: Sendable {
    struct Issued: Sendable {
        var token: SecretValue
        /// The wall-clock second from which the token is replaced.
        var refreshAt: Int64
    }

    typealias Cache = ExpiringCache<AccountScopedKey<String>, Issued>

    let source: any GoogleTokenSource
    let cache: Cache
    let epochSeconds: @Sendable () -> Int64

    var key: AccountScopedKey<String> {
        AccountScopedKey(AccountKey(endpoint: "oauth2", identity: source.identity), CloudDNSClient.scopes.joined(separator: " "))
    }

    /// A token to call the API with: the cached one, or a new one.
    func token() async throws -> SecretValue {
        // The cache's own expiry runs on the monotonic clock; the wall-clock check also catches
        // a suspended pod or a clock step, and lets tests move time.
        var issued = try await load()
        if epochSeconds() >= issued.refreshAt {
            cache.invalidate(key)
            issued = try await load()
        }
        return issued.token
    }

    /// Forgets the cached token (the API refused it: revoked, or the clock is off).
    func invalidate() {
        cache.invalidate(key)
    }

    private func load() async throws -> Issued {
        try await cache.value(for: key) { [source, epochSeconds] in
            let now = epochSeconds()
            let issued = try await source.fetch(epochSeconds: now)
            let reuse = CredentialRefresh.reuseSeconds(remaining: issued.expiresIn)
            return (Issued(token: issued.token, refreshAt: now + reuse), validFor: .seconds(reuse))
        }
    }
}
