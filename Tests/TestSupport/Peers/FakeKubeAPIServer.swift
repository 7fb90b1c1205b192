import Foundation

/// `Tests/Peers/fake_kube_apiserver.py` on 127.0.0.1: Secrets, TokenRequest, TokenReview,
/// SubjectAccessReview and the authentication ConfigMap, with an admin port to change its state.
public final class FakeKubeAPIServer: Sendable {
    public let peer: PeerProcess
    public let url: String
    public let adminURL: String
    /// A kubeconfig for the webhook's own identity (`system:serviceaccount:cert-manager:dns01-webhook`).
    public let kubeconfig: String

    public static let webhookUser = "system:serviceaccount:cert-manager:dns01-webhook"

    /// Rules that let the webhook read the ConfigMap and ask TokenReview/SubjectAccessReview.
    public static var webhookRules: [[String: Any]] {
        [
            ["effect": "allow", "users": [webhookUser], "verbs": ["get", "list", "watch"], "resources": ["configmaps"]],
            ["effect": "allow", "users": [webhookUser], "verbs": ["create"], "resources": ["subjectaccessreviews", "tokenreviews"]],
        ]
    }

    /// Starts one (off the cooperative pool: starting a process blocks).
    public static func start(pki: TestPKI, state: [String: Any]) async throws -> FakeKubeAPIServer {
        let data = try JSONSerialization.data(withJSONObject: state)
        return try await offloaded { try FakeKubeAPIServer(pki: pki, stateJSON: data) }
    }

    private init(pki: TestPKI, stateJSON: Data) throws {
        let directory = try makeTemporaryDirectory("fake-kube")
        let statePath = "\(directory)/state.json"
        try stateJSON.write(to: URL(fileURLWithPath: statePath))
        peer = try PeerProcess(
            python,
            [
                "Tests/Peers/fake_kube_apiserver.py", "--pki", pki["dir"], "--port", "0", "--state", statePath,
                "--kubeconfig-out", "\(directory)/kubeconfig.yaml",
            ])
        url = peer.announcement["url"] as? String ?? ""
        adminURL = peer.announcement["adminURL"] as? String ?? ""
        kubeconfig = peer.announcement["kubeconfig"] as? String ?? ""
    }

    /// Replaces the given top-level keys of the state (`rules`, `secrets`, `configmap`, …).
    public func update(_ state: [String: Any]) async throws {
        let body = try JSONSerialization.data(withJSONObject: state)
        let result = try await runCommand("curl", ["-sf", "-X", "POST", "--data-binary", String(decoding: body, as: UTF8.self), "\(adminURL)/__admin/state"])
        guard result.status == 0 else { throw PeerError("fake apiserver state update failed: \(result.stderr)") }
    }

    /// The requests the fake apiserver received (method, path, user, body…).
    public func requests() async throws -> [[String: Any]] {
        let result = try await runCommand("curl", ["-sf", "\(adminURL)/__admin/requests"])
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        return object?["requests"] as? [[String: Any]] ?? []
    }

    /// The Leases it holds now (every namespace).
    public func leases() async throws -> [[String: Any]] {
        let result = try await runCommand("curl", ["-sf", "\(adminURL)/__admin/leases"])
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        return object?["items"] as? [[String: Any]] ?? []
    }

    /// Plants a Lease as given (one a replica left behind), with a fresh resourceVersion.
    public func plantLease(_ lease: [String: Any]) async throws {
        let body = try JSONSerialization.data(withJSONObject: lease)
        let result = try await runCommand("curl", ["-sf", "-X", "POST", "--data-binary", String(decoding: body, as: UTF8.self), "\(adminURL)/__admin/leases"])
        guard result.status == 0 else { throw PeerError("planting a Lease failed: \(result.stderr)") }
    }

    /// Lets the webhook use Leases in `namespace` (what the chart's Role grants).
    public static func leaseRules(namespace: String) -> [[String: Any]] {
        [["effect": "allow", "users": [webhookUser], "verbs": ["get", "list", "create", "update", "delete"], "apiGroups": ["coordination.k8s.io"], "resources": ["leases"], "namespaces": [namespace]]]
    }

    public func stop() { peer.stop() }
}
