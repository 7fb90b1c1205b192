import DNS01

/// Secrets read from the Kubernetes API (`GET /api/v1/namespaces/{ns}/secrets/{name}`) with the
/// webhook's own identity. Errors name namespace, Secret and key; a 403 says which RBAC grant
/// is missing, because that is the most common installation mistake.
public struct KubernetesSecretSource: SecretSource {
    private let client: KubernetesClient

    public init(client: KubernetesClient) {
        self.client = client
    }

    public func secretValue(namespace: String, name: String, key: String) async throws -> SecretValue {
        guard KubernetesName.isValidLabel(namespace) else {
            throw DNS01Error(.invalidChallenge, "namespace \"\(namespace)\" is not a valid Kubernetes namespace name")
        }
        guard KubernetesName.isValidSubdomain(name) else {
            throw DNS01Error(.invalidConfiguration, "secret name \"\(name)\" is not a valid Kubernetes object name")
        }
        let secret: Secret
        do {
            secret = try await client.get("/api/v1/namespaces/\(namespace)/secrets/\(name)")
        } catch {
            if error.isNotFound {
                throw DNS01Error(.secretNotFound, "secret \"\(name)\" not found in namespace \"\(namespace)\" (wanted key \"\(key)\"; Secret references resolve in the challenge's resourceNamespace)")
            }
            if error.isForbidden {
                throw DNS01Error(
                    .secretAccessDenied,
                    "cannot read secret \(namespace)/\(name) (key \"\(key)\"): the webhook's service account needs RBAC \"get\" on \"secrets\" in namespace \"\(namespace)\" (a Role and RoleBinding there); the apiserver said: \(error.status?.message ?? error.message)"
                )
            }
            throw DNS01Error(.providerUnavailable, "cannot read secret \(namespace)/\(name) (key \"\(key)\"): \(error.message)")
        }
        guard let bytes = try secret.value(for: key) else {
            throw DNS01Error.secretKeyNotFound(namespace: namespace, name: name, key: key, availableKeys: secret.keys)
        }
        return SecretValue(bytes: bytes)
    }
}
