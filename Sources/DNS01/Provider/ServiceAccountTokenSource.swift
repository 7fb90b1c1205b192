/// Mints Kubernetes service-account tokens (the TokenRequest API), for providers that exchange
/// them for cloud credentials (Route53's `auth.kubernetes.serviceAccountRef`). The server
/// provides one backed by its cluster connection; the standalone CLI has one only when given
/// cluster access.
public protocol ServiceAccountTokenSource: Sendable {
    /// A token for `serviceAccount` in `namespace` with these audiences, valid for about
    /// `expirationSeconds`.
    func token(namespace: String, serviceAccount: String, audiences: [String], expirationSeconds: Int) async throws -> SecretValue
}
