import DNS01
import ProviderKit

/// STS `AssumeRoleWithWebIdentity` (version 2018-08-13): anonymous, authenticated by the OIDC
/// token itself (`Authorization: SKIP`, as the official SDKs send it).
struct TencentSTSClient: Sendable {
    static let apiVersion = "2018-08-13"
    /// Two hours, the official SDKs' default (the service allows up to 12).
    static let durationSeconds = 7200

    let makeAPI: @Sendable (_ endpoint: BaseURL, _ region: String?) -> TencentAPIClient

    struct Exchanged: Sendable {
        var credentials: TencentCredentials
        /// `ExpiredTime`, in seconds since the epoch.
        var expiresAt: Int64
    }

    func assumeRoleWithWebIdentity(settings: WebIdentityCredentialSource.Settings, token: String) async throws -> Exchanged {
        let api = makeAPI(settings.stsEndpoint, settings.region)
        let response: AssumeRoleWithWebIdentityResponse
        do {
            response = try await api.call(
                "AssumeRoleWithWebIdentity",
                [
                    "ProviderId": .string(settings.providerId),
                    "WebIdentityToken": .string(token),
                    "RoleArn": .string(settings.roleArn),
                    "RoleSessionName": .string(settings.roleSessionName),
                    "DurationSeconds": .number(Double(Self.durationSeconds)),
                ], credentials: nil)
        } catch {
            throw DNSPodErrorMessages.stsFailure(error, settings: settings)
        }
        return Exchanged(
            credentials: TencentCredentials(
                secretId: response.credentials.tmpSecretId,
                secretKey: SecretValue(response.credentials.tmpSecretKey),
                sessionToken: SecretValue(response.credentials.token)
            ),
            expiresAt: response.expiredTime
        )
    }
}
