import DNS01
import Foundation
import Kubernetes
import Logging
import Synchronization
import TestSupport
import Testing

private final class SeenEvents: Sendable {
    let lines = Mutex<[String]>([])
}

/// The client against the fake kube-apiserver, with the webhook's client certificate.
@Suite("Kubernetes client against the fake apiserver")
struct KubernetesClientTests {
    private func withAPI(_ state: [String: Any], _ body: (KubernetesClient, FakeKubeAPIServer) async throws -> Void) async throws {
        let api = try await FakeKubeAPIServer.start(pki: .shared, state: state)
        defer { api.stop() }
        let connection = try Kubeconfig.load(path: api.kubeconfig).connection()
        try await body(KubernetesClient(connection: connection, logger: Logger(label: "test")), api)
    }

    private static var secretsState: [String: Any] {
        [
            "rules": [["effect": "allow", "users": [FakeKubeAPIServer.webhookUser], "verbs": ["get"], "resources": ["secrets"], "namespaces": ["cert-manager"]]],
            "secrets": ["cert-manager/dns": ["data": ["token": Data("from-data\n".utf8).base64EncodedString()], "stringData": ["plain": "from-string-data"]]],
        ]
    }

    @Test("a Secret value is read and decoded")
    func secretFound() async throws {
        try await withAPI(Self.secretsState) { client, _ in
            let source = KubernetesSecretSource(client: client)
            let token = try await source.secretValue(namespace: "cert-manager", name: "dns", key: "token")
            let plain = try await source.secretValue(namespace: "cert-manager", name: "dns", key: "plain")
            #expect(token.text == "from-data")
            #expect(plain.text == "from-string-data")
        }
    }

    @Test("missing Secrets and keys are .secretNotFound naming namespace, Secret and key")
    func secretMissing() async throws {
        try await withAPI(Self.secretsState) { client, _ in
            let source = KubernetesSecretSource(client: client)
            await #expect {
                _ = try await source.secretValue(namespace: "cert-manager", name: "nope", key: "token")
            } throws: { error in
                guard let error = error as? DNS01Error else { return false }
                return error.code == .secretNotFound && error.message.contains("\"nope\" not found in namespace \"cert-manager\"") && error.message.contains("\"token\"")
            }
            await #expect {
                _ = try await source.secretValue(namespace: "cert-manager", name: "dns", key: "other")
            } throws: { error in
                (error as? DNS01Error)?.message == "secret cert-manager/dns has no key \"other\" (it has: plain, token)"
            }
        }
    }

    @Test("a 403 is .secretAccessDenied naming the RBAC the webhook lacks")
    func secretForbidden() async throws {
        try await withAPI(Self.secretsState) { client, _ in
            await #expect {
                _ = try await KubernetesSecretSource(client: client).secretValue(namespace: "kube-system", name: "dns", key: "token")
            } throws: { error in
                guard let error = error as? DNS01Error else { return false }
                return error.code == .secretAccessDenied
                    && error.message.contains("needs RBAC \"get\" on \"secrets\" in namespace \"kube-system\"")
                    && error.message.contains("User \"\(FakeKubeAPIServer.webhookUser)\"")
            }
        }
    }

    @Test("an invalid namespace never reaches the apiserver")
    func invalidNamespace() async throws {
        try await withAPI(Self.secretsState) { client, api in
            await #expect(throws: DNS01Error.self) {
                _ = try await KubernetesSecretSource(client: client).secretValue(namespace: "../kube-system", name: "dns", key: "token")
            }
            let secretRequests = try await api.requests().filter { ($0["path"] as? String)?.contains("secrets") == true }
            #expect(secretRequests.isEmpty)
        }
    }

    @Test("TokenRequest mints a token for a service account; a forbidden one says which RBAC is missing")
    func tokenRequest() async throws {
        let state: [String: Any] = [
            "rules": [["effect": "allow", "users": [FakeKubeAPIServer.webhookUser], "verbs": ["create"], "resources": ["serviceaccounts/token"], "namespaces": ["cert-manager"]]]
        ]
        try await withAPI(state) { client, api in
            let tokens = KubernetesServiceAccountTokenSource(client: client)
            let token = try await tokens.token(namespace: "cert-manager", serviceAccount: "route53", audiences: ["sts.amazonaws.com"], expirationSeconds: 600)
            #expect(token.text.split(separator: ".").count == 3)
            let request = try await api.requests().last { ($0["path"] as? String)?.hasSuffix("/serviceaccounts/route53/token") == true }
            let spec = (request?["body"] as? [String: Any])?["spec"] as? [String: Any]
            #expect(spec?["audiences"] as? [String] == ["sts.amazonaws.com"])
            await #expect {
                _ = try await tokens.token(namespace: "other", serviceAccount: "route53", audiences: ["x"], expirationSeconds: 600)
            } throws: { error in
                (error as? DNS01Error)?.message.contains("needs RBAC \"create\" on \"serviceaccounts/token\"") == true
            }
        }
    }

    @Test("a watch delivers the ConfigMap's changes")
    func watch() async throws {
        let state: [String: Any] = ["rules": FakeKubeAPIServer.webhookRules]
        try await withAPI(state) { client, api in
            let path = "/api/v1/namespaces/kube-system/configmaps"
            let selector = ("fieldSelector", "metadata.name=extension-apiserver-authentication")
            let list: ConfigMapList = try await client.get(path, query: [selector])
            let version = try #require(list.metadata.resourceVersion)
            let seen = SeenEvents()
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    try await client.watch(path, query: [selector, ("resourceVersion", version)], timeoutSeconds: 20, as: ConfigMap.self) { event in
                        let names = event.object.data?["requestheader-allowed-names"] ?? ""
                        seen.lines.withLock { $0.append("\(event.type.rawValue) \(names)") }
                        if names.contains("changed") { throw CancellationError() }
                    }
                }
                try await api.update(["configmap": ["requestheader-allowed-names": #"["changed"]"#]])
                do {
                    try await group.next()
                } catch is CancellationError {}
                group.cancelAll()
            }
            #expect(seen.lines.withLock { $0 }.contains(#"MODIFIED ["changed"]"#))
        }
    }
}
