import DNS01
import ProviderKit

/// Chooses one challenge's credentials, in order:
/// 1. the AccessKey (and STS token) from the Secrets the config references;
/// 2. only when the challenge allows ambient credentials (cert-manager: ClusterIssuers):
///    `ALIBABA_CLOUD_ACCESS_KEY_ID` / `_SECRET` / `_SECURITY_TOKEN` in the environment,
///    then RRSA (`ALIBABA_CLOUD_ROLE_ARN`, `_OIDC_PROVIDER_ARN`, `_OIDC_TOKEN_FILE`).
struct AliCredentialResolver: Sendable {
    static let defaultRoleSessionName = "dns01-webhook"

    let stsCredentials: ExpiringCache<RRSACredentialSource.Settings, RRSACredentialSource.Issued>
    let sts: STSClient
    let epochSeconds: @Sendable () -> Int64

    func resolve(_ configuration: AliDNSConfiguration, context: ProviderContext) async throws -> any AliCredentialSource {
        if let idRef = configuration.accessKeyIdRef, let secretRef = configuration.accessKeySecretRef {
            let id = try await context.secret(idRef)
            let secret = try await context.secret(secretRef)
            let token = try await configuration.securityTokenRef.asyncMap { try await context.secret($0) }
            var names = [idRef.name, secretRef.name] + (configuration.securityTokenRef.map { [$0.name] } ?? [])
            names = names.reduce(into: []) { if !$0.contains($1) { $0.append($1) } }
            let origin = (names.count == 1 ? "secret " : "secrets ") + names.map { "\(context.namespace)/\($0)" }.joined(separator: ", ")
            return StaticCredentialSource(keys: AliCredentials(accessKeyId: id.text, accessKeySecret: secret, securityToken: token), origin: origin)
        }
        guard context.allowAmbientCredentials else {
            throw DNS01Error(
                .credentialsUnavailable, "no AliDNS credentials: set accessTokenSecretRef and secretKeySecretRef; ambient credentials (environment, RRSA) are not allowed for this challenge (cert-manager allows them for ClusterIssuers only)")
        }
        let environment = context.environment
        if let keys = try Self.environmentKeys(environment) {
            return StaticCredentialSource(keys: keys, origin: "the ALIBABA_CLOUD_ACCESS_KEY_ID environment variables")
        }
        if let settings = try Self.rrsaSettings(environment, stsEndpoint: configuration.stsEndpoint) {
            return RRSACredentialSource(settings: settings, cache: stsCredentials, sts: sts, epochSeconds: epochSeconds)
        }
        throw DNS01Error(
            .credentialsUnavailable,
            "no AliDNS credentials: set accessTokenSecretRef and secretKeySecretRef, or give the webhook's pod ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET, or RRSA (ALIBABA_CLOUD_ROLE_ARN, ALIBABA_CLOUD_OIDC_PROVIDER_ARN, ALIBABA_CLOUD_OIDC_TOKEN_FILE)"
        )
    }

    static func environmentKeys(_ environment: [String: String]) throws(DNS01Error) -> AliCredentials? {
        let values = try CredentialEnvironment(environment).allOrNone(["ALIBABA_CLOUD_ACCESS_KEY_ID", "ALIBABA_CLOUD_ACCESS_KEY_SECRET"])
        guard let values else { return nil }
        let token = CredentialEnvironment(environment)["ALIBABA_CLOUD_SECURITY_TOKEN"].map { SecretValue($0) }
        return AliCredentials(accessKeyId: values[0], accessKeySecret: SecretValue(values[1]), securityToken: token)
    }

    static func rrsaSettings(_ environment: [String: String], stsEndpoint configured: BaseURL?) throws(DNS01Error) -> RRSACredentialSource.Settings? {
        let environment = CredentialEnvironment(environment)
        let values = try environment.allOrNone(["ALIBABA_CLOUD_ROLE_ARN", "ALIBABA_CLOUD_OIDC_PROVIDER_ARN", "ALIBABA_CLOUD_OIDC_TOKEN_FILE"])
        guard let values else { return nil }
        var endpoint = configured
        if endpoint == nil, let text = environment["ALIBABA_CLOUD_STS_ENDPOINT"] {
            guard let parsed = BaseURL(hostOrRoot: text) else {
                throw DNS01Error(.credentialsUnavailable, "ALIBABA_CLOUD_STS_ENDPOINT must be a host name or an http(s)://host[:port] URL, got \"\(text)\"")
            }
            endpoint = parsed
        }
        let vpc = environment["ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED"]?.lowercased() == "true"
        return RRSACredentialSource.Settings(
            roleArn: values[0],
            oidcProviderArn: values[1],
            tokenFile: ProjectedTokenFile(path: values[2], origin: "ALIBABA_CLOUD_OIDC_TOKEN_FILE"),
            roleSessionName: environment["ALIBABA_CLOUD_ROLE_SESSION_NAME"] ?? defaultRoleSessionName,
            stsEndpoint: endpoint ?? .aliSTS(regionId: environment["ALIBABA_CLOUD_STS_REGION"], vpc: vpc)
        )
    }
}

extension Optional {
    fileprivate func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}
