import DNS01
import Foundation

/// Short-lived credentials from an exchange (STS `AssumeRoleWith…`, an OAuth2 token endpoint) and
/// the wall-clock second from which they should be replaced.
public struct ExchangedCredentials<Credentials: Sendable>: Sendable {
    public var credentials: Credentials
    public var refreshAt: Int64

    public init(credentials: Credentials, refreshAt: Int64) {
        self.credentials = credentials
        self.refreshAt = refreshAt
    }
}

extension ExpiringCache {
    /// The credentials cached for `key`, exchanged anew when absent or due: `exchange` returns
    /// them with the wall-clock second they expire at, and `CredentialRefresh` decides how long
    /// they are reused.
    ///
    /// The cache entry's own lifetime runs on the monotonic clock; the wall-clock check also
    /// catches a suspended pod or a clock step, and lets tests move time.
    public func exchangedCredentials<Credentials: Sendable>(
        for key: Key, epochSeconds: @escaping @Sendable () -> Int64,
        exchange: @escaping @Sendable () async throws -> (credentials: Credentials, expiresAt: Int64)
    ) async throws -> Credentials where Value == ExchangedCredentials<Credentials> {
        let load: @Sendable () async throws -> (Value, validFor: Duration) = {
            let now = epochSeconds()
            let exchanged = try await exchange()
            let refreshAt = now + CredentialRefresh.reuseSeconds(remaining: exchanged.expiresAt - now)
            return (ExchangedCredentials(credentials: exchanged.credentials, refreshAt: refreshAt), validFor: .seconds(max(refreshAt - now, 0)))
        }
        var issued = try await value(for: key, load: load)
        if epochSeconds() >= issued.refreshAt {
            invalidate(key)
            issued = try await value(for: key, load: load)
        }
        return issued.credentials
    }
}

/// A projected service-account token file (Kubernetes OIDC, workload identity). It is read
/// anew for every exchange, because the kubelet rotates it.
public struct ProjectedTokenFile: Sendable, Hashable {
    public var path: String
    /// Where the path came from (an environment variable), named in messages.
    public var origin: String

    public init(path: String, origin: String) {
        self.path = path
        self.origin = origin
    }

    /// The token, trimmed. `mechanism` ("RRSA", "TKE OIDC") and `kind` ("OIDC", "web identity")
    /// make the messages; `hint` says what to check when the file cannot be read.
    public func read(mechanism: String, kind: String, hint: String) throws(DNS01Error) -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DNS01Error(.credentialsUnavailable, "\(mechanism): cannot read the \(kind) token file \(path) (\(origin)); \(hint)")
        }
        let token = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !token.isEmpty else {
            throw DNS01Error(.credentialsUnavailable, "\(mechanism): the \(kind) token file \(path) is empty")
        }
        return token
    }
}
