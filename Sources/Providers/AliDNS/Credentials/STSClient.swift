import DNS01
import ProviderKit

/// STS `AssumeRoleWithOIDC` (version 2015-04-01): anonymous, authenticated by the OIDC token.
struct STSClient: Sendable {
    static let apiVersion = "2015-04-01"
    /// One hour, the default maximum session of a RAM role.
    static let durationSeconds = 3600

    let makeRPC: @Sendable (BaseURL) -> RPCClient

    struct Exchanged: Sendable {
        var credentials: AliCredentials
        /// `Expiration`, in seconds since the epoch.
        var expiresAt: Int64
    }

    func assumeRoleWithOIDC(settings: RRSACredentialSource.Settings, oidcToken: String) async throws -> Exchanged {
        let rpc = makeRPC(settings.stsEndpoint)
        let response: AssumeRoleWithOIDCResponse
        do {
            response = try await rpc.call(
                "AssumeRoleWithOIDC",
                [
                    RPCParameter("RoleArn", settings.roleArn),
                    RPCParameter("OIDCProviderArn", settings.oidcProviderArn),
                    RPCParameter("OIDCToken", oidcToken),
                    RPCParameter("RoleSessionName", settings.roleSessionName),
                    RPCParameter("DurationSeconds", String(Self.durationSeconds)),
                ], credentials: nil)
        } catch {
            throw AliDNSErrorMessages.stsFailure(error, settings: settings)
        }
        let issued = response.credentials
        guard let expiry = RPCTimestamp.epochSeconds(from: issued.expiration) else {
            throw DNS01Error(.credentialsUnavailable, "RRSA: STS at \(settings.stsEndpoint) answered an Expiration that is not yyyy-MM-ddTHH:mm:ssZ")
        }
        return Exchanged(
            credentials: AliCredentials(
                accessKeyId: issued.accessKeyId,
                accessKeySecret: SecretValue(issued.accessKeySecret),
                securityToken: SecretValue(issued.securityToken)
            ),
            expiresAt: expiry
        )
    }
}
