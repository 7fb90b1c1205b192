import DNS01
import Foundation
import ProviderKit

/// TKE's OIDC role for service accounts: the pod's projected token is exchanged for temporary
/// keys with STS `AssumeRoleWithWebIdentity`. The keys are cached per role and refreshed before
/// they expire; every refresh reads the token file again, because the kubelet rotates it.
struct WebIdentityCredentialSource: TencentCredentialSource {
    struct Settings: Sendable, Hashable {
        var roleArn: String
        var providerId: String
        var tokenFile: String
        /// The variable the token file came from, for messages.
        var tokenFileVariable: String
        var roleSessionName: String
        var region: String?
        var stsEndpoint: TencentEndpoint
    }

    /// Keys from one exchange and the wall-clock second from which they should be replaced.
    struct Issued: Sendable {
        var credentials: TencentCredentials
        var refreshAt: Int64
    }

    let settings: Settings
    let cache: ExpiringCache<Settings, Issued>
    let sts: TencentSTSClient
    let epochSeconds: @Sendable () -> Int64

    var origin: String { "TKE OIDC role \(settings.roleArn)" }
    var identity: String { "tke:\(settings.roleArn)|\(settings.providerId)|\(settings.stsEndpoint)" }

    func credentials() async throws -> TencentCredentials {
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
            let token = try Self.readToken(settings)
            let now = epochSeconds()
            let exchanged = try await sts.assumeRoleWithWebIdentity(settings: settings, token: token)
            let refreshAt = now + CredentialRefresh.reuseSeconds(remaining: exchanged.expiresAt - now)
            return (Issued(credentials: exchanged.credentials, refreshAt: refreshAt), validFor: .seconds(max(refreshAt - now, 0)))
        }
    }

    static func readToken(_ settings: Settings) throws -> String {
        guard let data = FileManager.default.contents(atPath: settings.tokenFile) else {
            throw DNS01Error(.credentialsUnavailable, "TKE OIDC: cannot read the web identity token file \(settings.tokenFile) (\(settings.tokenFileVariable)); is the pod's service account bound to a CAM role?")
        }
        let token = String(decoding: data, as: UTF8.self).trimmingWhitespace()
        guard !token.isEmpty else {
            throw DNS01Error(.credentialsUnavailable, "TKE OIDC: the web identity token file \(settings.tokenFile) is empty")
        }
        return token
    }
}
