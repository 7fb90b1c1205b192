import DNS01
import ProviderKit

/// RRSA (RAM Roles for Service Accounts on ACK): the pod's projected OIDC token is exchanged
/// for temporary keys with STS `AssumeRoleWithOIDC`, cached per role and refreshed before they
/// expire (ProviderKit's exchanged-credentials rule); every exchange reads the token file again.
struct RRSACredentialSource: AliCredentialSource {
    struct Settings: Sendable, Hashable {
        var roleArn: String
        var oidcProviderArn: String
        var tokenFile: ProjectedTokenFile
        var roleSessionName: String
        var stsEndpoint: BaseURL
    }

    typealias Issued = ExchangedCredentials<AliCredentials>

    let settings: Settings
    let cache: ExpiringCache<Settings, Issued>
    let sts: STSClient
    let epochSeconds: @Sendable () -> Int64

    var origin: String { "RRSA role \(settings.roleArn)" }
    var identity: String { "rrsa:\(settings.roleArn)|\(settings.oidcProviderArn)|\(settings.stsEndpoint)" }

    func credentials() async throws -> AliCredentials {
        try await cache.exchangedCredentials(for: settings, epochSeconds: epochSeconds) { [sts, settings] in
            let token = try settings.tokenFile.read(mechanism: "RRSA", kind: "OIDC", hint: "is the pod's service account enabled for RRSA?")
            let exchanged = try await sts.assumeRoleWithOIDC(settings: settings, oidcToken: token)
            return (exchanged.credentials, exchanged.expiresAt)
        }
    }

    func invalidate() -> Bool {
        cache.invalidate(settings)
        return true
    }
}
