import DNS01
import ProviderKit

/// TKE's OIDC role for service accounts: the pod's projected token is exchanged for temporary
/// keys with STS `AssumeRoleWithWebIdentity`, cached per role and refreshed before they expire
/// (ProviderKit's exchanged-credentials rule); every exchange reads the token file again.
struct WebIdentityCredentialSource: TencentCredentialSource {
    struct Settings: Sendable, Hashable {
        var roleArn: String
        var providerId: String
        var tokenFile: ProjectedTokenFile
        var roleSessionName: String
        var region: String?
        var stsEndpoint: BaseURL
    }

    typealias Issued = ExchangedCredentials<TencentCredentials>

    let settings: Settings
    let cache: ExpiringCache<Settings, Issued>
    let sts: TencentSTSClient
    let epochSeconds: @Sendable () -> Int64

    var origin: String { "TKE OIDC role \(settings.roleArn)" }
    var identity: String { "tke:\(settings.roleArn)|\(settings.providerId)|\(settings.stsEndpoint)" }

    func credentials() async throws -> TencentCredentials {
        try await cache.exchangedCredentials(for: settings, epochSeconds: epochSeconds) { [sts, settings] in
            let token = try settings.tokenFile.read(mechanism: "TKE OIDC", kind: "web identity", hint: "is the pod's service account bound to a CAM role?")
            let exchanged = try await sts.assumeRoleWithWebIdentity(settings: settings, token: token)
            return (exchanged.credentials, exchanged.expiresAt)
        }
    }

    func invalidate() -> Bool {
        cache.invalidate(settings)
        return true
    }
}
