import DNS01
import Foundation
import Synchronization

/// A bearer token for the apiserver: fixed (kubeconfig `token`) or read from a file that the
/// kubelet rotates (in-cluster, kubeconfig `tokenFile`). The file is re-read at most once a
/// minute, like client-go, so a rotated token is picked up without a restart.
public final class BearerTokenSource: Sendable {
    private enum Origin: Sendable {
        case fixed(SecretValue)
        case file(String)
    }

    private let origin: Origin
    private let cached = Mutex<(value: SecretValue, readAt: ContinuousClock.Instant)?>(nil)
    private let refreshInterval: Duration

    private init(origin: Origin, refreshInterval: Duration = .seconds(60)) {
        self.origin = origin
        self.refreshInterval = refreshInterval
    }

    public static func fixed(_ token: SecretValue) -> BearerTokenSource { BearerTokenSource(origin: .fixed(token)) }
    public static func file(_ path: String, refreshInterval: Duration = .seconds(60)) -> BearerTokenSource {
        BearerTokenSource(origin: .file(path), refreshInterval: refreshInterval)
    }

    /// The current token.
    public func token() throws(KubernetesError) -> SecretValue {
        switch origin {
        case .fixed(let value):
            return value
        case .file(let path):
            let now = ContinuousClock.now
            if let cached = cached.withLock({ $0 }), now - cached.readAt < refreshInterval { return cached.value }
            guard let data = FileManager.default.contents(atPath: path) else {
                throw KubernetesError(.invalidConfiguration, "the token file \(path) cannot be read")
            }
            let value = SecretValue(bytes: Array(data))
            guard !value.isEmpty else { throw KubernetesError(.invalidConfiguration, "the token file \(path) is empty") }
            let token = SecretValue(value.text)
            cached.withLock { $0 = (token, now) }
            return token
        }
    }
}
