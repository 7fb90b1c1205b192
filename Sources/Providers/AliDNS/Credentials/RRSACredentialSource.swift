import DNS01
import Foundation
import ProviderKit

/// RRSA (RAM Roles for Service Accounts on ACK): the pod's projected OIDC token is exchanged
/// for temporary keys with STS `AssumeRoleWithOIDC`. The keys are cached per role and
/// refreshed before they expire; every refresh reads the token file again, because the
/// kubelet rotates it.
struct RRSACredentialSource: AliCredentialSource {
    struct Settings: Sendable, Hashable {
        var roleArn: String
        var oidcProviderArn: String
        var tokenFile: String
        var roleSessionName: String
        var stsEndpoint: AliDNSEndpoint
    }

    /// Keys from one exchange and the wall-clock second from which they should be replaced.
    struct Issued: Sendable {
        var credentials: AliCredentials
        var refreshAt: Int64
    }

    let settings: Settings
    let cache: ExpiringCache<Settings, Issued>
    let sts: STSClient
    let epochSeconds: @Sendable () -> Int64

    var origin: String { "RRSA role \(settings.roleArn)" }
    var identity: String { "rrsa:\(settings.roleArn)|\(settings.oidcProviderArn)|\(settings.stsEndpoint)" }

    func credentials() async throws -> AliCredentials {
        // The cache entry's own lifetime runs on the monotonic clock; the wall-clock check
        // below also catches a suspended pod or a clock step, and makes refresh testable.
        var issued = try await load()
        if epochSeconds() >= issued.refreshAt {
            cache.invalidate(settings)
            issued = try await load()
        }
        return issued.credentials
    }

    func invalidate() -> Bool {
        cache.invalidate(settings)
        return true
    }

    private func load() async throws -> Issued {
        try await cache.value(for: settings) { [sts, settings, epochSeconds] in
            let token = try Self.readToken(settings.tokenFile)
            let now = epochSeconds()
            let exchanged = try await sts.assumeRoleWithOIDC(settings: settings, oidcToken: token)
            let remaining = exchanged.expiresAt - now
            let refreshAt = now + Self.refreshAfter(remainingSeconds: remaining)
            return (Issued(credentials: exchanged.credentials, refreshAt: refreshAt), validFor: .seconds(max(refreshAt - now, 0)))
        }
    }

    /// How long to use keys that stay valid for `remainingSeconds` (ProviderKit's one rule).
    static func refreshAfter(remainingSeconds: Int64) -> Int64 {
        CredentialRefresh.reuseSeconds(remaining: remainingSeconds)
    }

    static func readToken(_ path: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DNS01Error(.credentialsUnavailable, "RRSA: cannot read the OIDC token file \(path) (ALIBABA_CLOUD_OIDC_TOKEN_FILE); is the pod's service account enabled for RRSA?")
        }
        let token = String(decoding: data, as: UTF8.self).trimmingWhitespace()
        guard !token.isEmpty else {
            throw DNS01Error(.credentialsUnavailable, "RRSA: the OIDC token file \(path) is empty")
        }
        return token
    }
}
