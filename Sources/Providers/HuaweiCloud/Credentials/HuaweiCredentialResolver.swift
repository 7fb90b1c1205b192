import DNS01
import ProviderKit

/// Chooses one challenge's credentials, in order:
/// 1. the access key the config names (`accessKeyRef`/`akSecretRef` or inline `appKey`, with
///    `secretKeyRef`/`skSecretRef` or inline `appSecret`, and `securityTokenRef` for temporary
///    keys);
/// 2. only when the challenge allows ambient credentials (cert-manager: ClusterIssuers):
///    `HUAWEICLOUD_SDK_AK` / `HUAWEICLOUD_SDK_SK` / `HUAWEICLOUD_SDK_SECURITY_TOKEN` in the
///    environment, the variables huaweicloudsdkcore's environment provider reads.
enum HuaweiCredentialResolver {
    static func resolve(_ configuration: HuaweiCloudConfiguration, context: ProviderContext) async throws -> HuaweiCredentialSource {
        if let accessKey = configuration.accessKey, let secretKey = configuration.secretKey {
            var references: [SecretReference] = []
            let ak: String
            switch accessKey {
            case .inline(let text): ak = text
            case .secret(let reference):
                ak = try await context.secret(reference).text
                references.append(reference)
            }
            let sk: SecretValue
            switch secretKey {
            case .inline(let value): sk = value
            case .secret(let reference):
                sk = try await context.secret(reference)
                references.append(reference)
            }
            var token: SecretValue?
            if let tokenRef = configuration.securityTokenRef {
                token = try await context.secret(tokenRef)
                references.append(tokenRef)
            }
            var names: [String] = []
            for reference in references where !names.contains(reference.name) { names.append(reference.name) }
            let origin =
                names.isEmpty
                ? "the config's appKey and appSecret"
                : (names.count == 1 ? "secret " : "secrets ") + names.map { "\(context.namespace)/\($0)" }.joined(separator: ", ")
            return HuaweiCredentialSource(keys: HuaweiCredentials(accessKey: ak, secretKey: sk, securityToken: token), origin: origin)
        }
        guard context.allowAmbientCredentials else {
            throw DNS01Error(
                .credentialsUnavailable,
                "no Huawei Cloud credentials: set accessKeyRef and secretKeyRef; ambient credentials (HUAWEICLOUD_SDK_AK in the environment) are not allowed for this challenge (cert-manager allows them for ClusterIssuers only)")
        }
        let environment = CredentialEnvironment(context.environment)
        if let keys = try environment.allOrNone(["HUAWEICLOUD_SDK_AK", "HUAWEICLOUD_SDK_SK"]) {
            let token = environment["HUAWEICLOUD_SDK_SECURITY_TOKEN"].map { SecretValue($0) }
            return HuaweiCredentialSource(
                keys: HuaweiCredentials(accessKey: keys[0], secretKey: SecretValue(keys[1]), securityToken: token),
                origin: "the HUAWEICLOUD_SDK_AK environment variables",
                projectId: environment["HUAWEICLOUD_SDK_PROJECT_ID"]
            )
        }
        throw DNS01Error(.credentialsUnavailable, "no Huawei Cloud credentials: set accessKeyRef and secretKeyRef, or give the webhook's pod HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK (and HUAWEICLOUD_SDK_SECURITY_TOKEN for a temporary key)")
    }
}
