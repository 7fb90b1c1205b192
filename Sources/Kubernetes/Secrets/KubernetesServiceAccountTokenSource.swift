import DNS01

/// Service-account tokens minted with the TokenRequest API
/// (`POST /api/v1/namespaces/{ns}/serviceaccounts/{name}/token`), for providers that exchange
/// them for cloud credentials (Route53's `serviceAccountRef`).
public struct KubernetesServiceAccountTokenSource: ServiceAccountTokenSource {
    private let client: KubernetesClient

    public init(client: KubernetesClient) {
        self.client = client
    }

    public func token(namespace: String, serviceAccount: String, audiences: [String], expirationSeconds: Int) async throws -> SecretValue {
        guard KubernetesName.isValidLabel(namespace) else {
            throw DNS01Error(.invalidChallenge, "namespace \"\(namespace)\" is not a valid Kubernetes namespace name")
        }
        guard KubernetesName.isValidSubdomain(serviceAccount) else {
            throw DNS01Error(.invalidConfiguration, "service account name \"\(serviceAccount)\" is not a valid Kubernetes object name")
        }
        let request = TokenRequest(audiences: audiences, expirationSeconds: expirationSeconds)
        let answer: TokenRequest
        do {
            answer = try await client.create("/api/v1/namespaces/\(namespace)/serviceaccounts/\(serviceAccount)/token", request)
        } catch {
            let subject = "service account \(namespace)/\(serviceAccount)"
            if error.isNotFound {
                throw DNS01Error(.credentialsUnavailable, "cannot request a token for \(subject): it does not exist")
            }
            if error.isForbidden {
                throw DNS01Error(
                    .credentialsUnavailable,
                    "cannot request a token for \(subject): the webhook's service account needs RBAC \"create\" on \"serviceaccounts/token\" for \"\(serviceAccount)\" in namespace \"\(namespace)\"; the apiserver said: \(error.status?.message ?? error.message)"
                )
            }
            throw DNS01Error(.credentialsUnavailable, "cannot request a token for \(subject): \(error.message)")
        }
        guard let token = answer.status?.token, !token.isEmpty else {
            throw DNS01Error(.credentialsUnavailable, "the apiserver returned no token for service account \(namespace)/\(serviceAccount)")
        }
        return SecretValue(token)
    }
}
