import Crypto
import Kubernetes
import ProviderKit

/// Bearer tokens checked with a TokenReview against the kube-apiserver. Answers (accepted or
/// rejected) are cached for `cacheTTL` under the token's SHA-256, never the token itself;
/// failures to ask are not cached.
struct TokenReviewer: Sendable {
    enum Verdict: Sendable {
        case authenticated(UserIdentity)
        case rejected(String)
    }

    let client: KubernetesClient
    let cacheTTL: Duration
    private let cache = ExpiringCache<String, Verdict>(maximumEntries: 4096)

    init(client: KubernetesClient, cacheTTL: Duration) {
        self.client = client
        self.cacheTTL = cacheTTL
    }

    func review(_ token: String) async throws -> Verdict {
        let key = SHA256.hash(data: Array(token.utf8)).map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
        let client = self.client
        let ttl = cacheTTL
        return try await cache.value(for: key) {
            let answer: TokenReview = try await client.create("/apis/authentication.k8s.io/v1/tokenreviews", TokenReview(token: token))
            guard let status = answer.status, status.authenticated == true, let user = status.user, !user.username.isEmpty else {
                return (.rejected("the token was not accepted by TokenReview: \(answer.status?.error ?? "not authenticated")"), ttl)
            }
            return (.authenticated(UserIdentity(name: user.username, uid: user.uid, groups: user.groups ?? [], extra: user.extra ?? [:], method: .token)), ttl)
        }
    }
}
