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

    let settings: Settings
    let cache: ExpiringCache<Settings, AliCredentials>
    let sts: STSClient

    var origin: String { "RRSA role \(settings.roleArn)" }
    var identity: String { "rrsa:\(settings.roleArn)|\(settings.oidcProviderArn)|\(settings.stsEndpoint)" }

    func credentials() async throws -> AliCredentials {
        try await cache.value(for: settings) { [sts, settings] in
            let token = try Self.readToken(settings.tokenFile)
            let issued = try await sts.assumeRoleWithOIDC(settings: settings, oidcToken: token)
            return (issued.credentials, validFor: Self.refreshAfter(remaining: issued.remaining))
        }
    }

    func invalidate() -> Bool {
        cache.invalidate(settings)
        return true
    }

    /// How long to use keys that stay valid for `remaining`: until five minutes before they
    /// expire, or half their remaining life when that is shorter (so short sessions still refresh
    /// ahead of time rather than at the last second).
    static func refreshAfter(remaining: Duration) -> Duration {
        guard remaining > .zero else { return .zero }
        return remaining - min(.seconds(300), remaining / 2)
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
