import DNS01
import ProviderKit

/// Chooses one challenge's credentials, in order:
/// 1. the API key the config names (`secretIdRef` or the older inline `secretId`, with
///    `secretKeyRef`, and `sessionTokenRef` for temporary keys);
/// 2. only when the challenge allows ambient credentials (cert-manager: ClusterIssuers):
///    `TENCENTCLOUD_SECRET_ID` / `_SECRET_KEY` / `_SESSION_TOKEN` in the environment, then TKE's
///    OIDC role (`TKE_ROLE_ARN`, `TKE_PROVIDER_ID`, `TKE_WEB_IDENTITY_TOKEN_FILE`).
struct TencentCredentialResolver: Sendable {
    static let defaultRoleSessionName = "dns01-webhook"
    /// The token file's variable as TKE's pod identity webhook and the SDKs name it, and the
    /// shorter name some guides use.
    static let tokenFileVariables = ["TKE_WEB_IDENTITY_TOKEN_FILE", "TKE_IDENTITY_TOKEN_FILE"]

    let stsCredentials: ExpiringCache<WebIdentityCredentialSource.Settings, WebIdentityCredentialSource.Issued>
    let sts: TencentSTSClient
    let epochSeconds: @Sendable () -> Int64

    func resolve(_ configuration: DNSPodConfiguration, context: ProviderContext) async throws -> any TencentCredentialSource {
        if let keyRef = configuration.secretKeyRef {
            let secretId: String
            var references = [keyRef]
            switch configuration.secretId {
            case .inline(let id)?: secretId = id
            case .secret(let idRef)?:
                secretId = try await context.secret(idRef).text
                references.insert(idRef, at: 0)
            case nil:
                throw DNS01Error(.invalidConfiguration, "secretKeyRef needs secretIdRef (the SecretId that key belongs to)")
            }
            let secretKey = try await context.secret(keyRef)
            var token: SecretValue?
            if let tokenRef = configuration.sessionTokenRef {
                token = try await context.secret(tokenRef)
                references.append(tokenRef)
            }
            var names: [String] = []
            for reference in references where !names.contains(reference.name) { names.append(reference.name) }
            let origin = (names.count == 1 ? "secret " : "secrets ") + names.map { "\(context.namespace)/\($0)" }.joined(separator: ", ")
            return StaticTencentCredentialSource(keys: TencentCredentials(secretId: secretId, secretKey: secretKey, sessionToken: token), origin: origin)
        }
        guard context.allowAmbientCredentials else {
            throw DNS01Error(.credentialsUnavailable, "no DNSPod credentials: set secretIdRef and secretKeyRef; ambient credentials (environment, TKE OIDC role) are not allowed for this challenge (cert-manager allows them for ClusterIssuers only)")
        }
        let environment = context.environment
        if let keys = try Self.environmentKeys(environment) {
            return StaticTencentCredentialSource(keys: keys, origin: "the TENCENTCLOUD_SECRET_ID environment variables")
        }
        if let settings = try Self.webIdentitySettings(environment, configuration: configuration) {
            return WebIdentityCredentialSource(settings: settings, cache: stsCredentials, sts: sts, epochSeconds: epochSeconds)
        }
        throw DNS01Error(
            .credentialsUnavailable,
            "no DNSPod credentials: set secretIdRef and secretKeyRef, or give the webhook's pod TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY, or a TKE OIDC role (TKE_ROLE_ARN, TKE_PROVIDER_ID, TKE_WEB_IDENTITY_TOKEN_FILE)")
    }

    static func environmentKeys(_ environment: [String: String]) throws(DNS01Error) -> TencentCredentials? {
        guard let values = try CredentialEnvironment(environment).allOrNone(["TENCENTCLOUD_SECRET_ID", "TENCENTCLOUD_SECRET_KEY"]) else { return nil }
        let token = CredentialEnvironment(environment)["TENCENTCLOUD_SESSION_TOKEN"].map { SecretValue($0) }
        return TencentCredentials(secretId: values[0], secretKey: SecretValue(values[1]), sessionToken: token)
    }

    static func webIdentitySettings(_ environment: [String: String], configuration: DNSPodConfiguration) throws(DNS01Error) -> WebIdentityCredentialSource.Settings? {
        let environment = CredentialEnvironment(environment)
        let fileVariable = tokenFileVariables.first { environment[$0] != nil } ?? tokenFileVariables[0]
        guard let values = try environment.allOrNone(["TKE_ROLE_ARN", "TKE_PROVIDER_ID", fileVariable]) else { return nil }
        return WebIdentityCredentialSource.Settings(
            roleArn: values[0],
            providerId: values[1],
            tokenFile: ProjectedTokenFile(path: values[2], origin: fileVariable),
            roleSessionName: defaultRoleSessionName,
            region: configuration.region ?? environment["TKE_REGION"],
            stsEndpoint: configuration.stsEndpoint ?? .tencentSTS
        )
    }
}
