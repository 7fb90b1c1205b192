import AggregatedAPIServer
import DNS01
import Foundation
import ServerTestSupport
import Testing
import TestSupport

/// The server against the fake kube-apiserver: the ConfigMap, SubjectAccessReview,
/// TokenReview and Secrets, as in a cluster.
@Suite("With a cluster (fake kube-apiserver)")
struct ClusterTests {
    static let certManager = "system:serviceaccount:cert-manager:cert-manager"
    static let secretValue = "s3cr3t-token-value"
    let solverURL = "/apis/acme.example.com/v1alpha1"

    static func state(_ extra: [String: Any] = [:]) -> [String: Any] {
        var state: [String: Any] = [
            "rules": FakeKubeAPIServer.webhookRules + [
                ["effect": "deny", "users": ["mallory"], "reason": "mallory is on the deny list"],
                ["effect": "allow", "users": [certManager], "verbs": ["create"], "apiGroups": ["acme.example.com"], "resources": ["memory", "dispatch"]],
                ["effect": "allow", "users": [certManager], "nonResourceURLs": ["/apis", "/apis/*"]],
                ["effect": "allow", "users": [FakeKubeAPIServer.webhookUser], "verbs": ["get"], "resources": ["secrets"], "namespaces": ["cert-manager"]],
            ],
            "secrets": ["cert-manager/dns-token": ["stringData": ["token": secretValue]]],
            "tokens": ["cert-manager-token": ["user": certManager, "groups": ["system:serviceaccounts", "system:serviceaccounts:cert-manager"]]],
        ]
        state.merge(extra) { $1 }
        return state
    }

    private func withCluster(_ extra: [String: Any] = [:], _ body: @Sendable (RunningServer, FakeKubeAPIServer) async throws -> Void) async throws {
        let api = try await FakeKubeAPIServer.start(pki: .shared, state: Self.state(extra))
        defer { api.stop() }
        var options = ServerOptions()
        options.kubeconfig = api.kubeconfig
        let waitForReadiness = extra["configmapPresent"] as? Bool != false
        try await withWebhookServer(options) { server in
            if waitForReadiness {
                let ready = await eventually { (try? await send(.GET, server.url + "/readyz"))?.status == 200 }
                try #require(ready, "the server did not become ready: \(server.logs.text)")
            }
            try await body(server, api)
        }
    }

    private func subjectAccessReviews(_ api: FakeKubeAPIServer) async throws -> [[String: Any]] {
        try await api.requests().filter { $0["path"] as? String == "/apis/authorization.k8s.io/v1/subjectaccessreviews" }
    }

    @Test("SubjectAccessReview allows cert-manager's service account, named by the front proxy, to Present")
    func allowed() async throws {
        try await withCluster { server, api in
            let headers = frontProxyHeaders(user: Self.certManager, groups: ["system:serviceaccounts"], extra: [("Authentication.kubernetes.io%2Fpod-name", "cm-1")])
            let answer = try await send(.POST, server.url + solverURL + "/memory", as: .frontProxy, headers: headers, body: challengePayload(key: "allowed"))
            #expect(answer.status == 201)
            #expect(answer.challengeSucceeded == true)
            #expect(server.records.values(at: try DomainName("_acme-challenge.example.com")) == ["allowed"])
            let review = try #require(try await subjectAccessReviews(api).last?["body"] as? [String: Any])
            let spec = review["spec"] as? [String: Any]
            #expect(spec?["user"] as? String == Self.certManager)
            #expect(spec?["groups"] as? [String] == ["system:serviceaccounts", "system:authenticated"])
            #expect((spec?["extra"] as? [String: [String]])?["authentication.kubernetes.io/pod-name"] == ["cm-1"])
            let attributes = spec?["resourceAttributes"] as? [String: Any]
            #expect(attributes?["verb"] as? String == "create")
            #expect(attributes?["group"] as? String == "acme.example.com")
            #expect(attributes?["resource"] as? String == "memory")
        }
    }

    @Test("a denied SubjectAccessReview is 403 with the Kubernetes message and the reviewer's reason")
    func denied() async throws {
        try await withCluster { server, _ in
            let answer = try await send(.POST, server.url + solverURL + "/memory", as: .frontProxy, headers: frontProxyHeaders(user: "mallory"), body: challengePayload())
            #expect(answer.status == 403)
            #expect(answer.message == "memory.acme.example.com is forbidden: User \"mallory\" cannot create resource \"memory\" in API group \"acme.example.com\" at the cluster scope: mallory is on the deny list")
            #expect(server.records.names.isEmpty)
            let discovery = try await send(.GET, server.url + "/apis", as: .frontProxy, headers: frontProxyHeaders(user: "mallory"))
            #expect(discovery.status == 403)
            #expect(discovery.message?.hasPrefix("forbidden: User \"mallory\" cannot get path \"/apis\"") == true)
        }
    }

    @Test("allowed and denied answers are cached: repeated requests ask once each")
    func cached() async throws {
        try await withCluster { server, api in
            for _ in 0..<3 {
                _ = try await send(.GET, server.url + "/apis", as: .frontProxy, headers: frontProxyHeaders(user: Self.certManager))
                _ = try await send(.GET, server.url + "/apis", as: .frontProxy, headers: frontProxyHeaders(user: "mallory"))
            }
            let reviews = try await subjectAccessReviews(api)
            let users = reviews.compactMap { (($0["body"] as? [String: Any])?["spec"] as? [String: Any])?["user"] as? String }
            #expect(users.filter { $0 == Self.certManager }.count == 1)
            #expect(users.filter { $0 == "mallory" }.count == 1)
        }
    }

    @Test("a Secret referenced by the config is read from the challenge's namespace; its value is never logged")
    func secretRead() async throws {
        try await withCluster { server, api in
            let config = #"{"apiTokenSecretRef": {"name": "dns-token", "key": "token"}}"#
            let answer = try await send(.POST, server.url + solverURL + "/memory", as: .alice, body: challengePayload(key: "with-secret", config: config))
            #expect(answer.challengeSucceeded == true)
            let secretReads = try await api.requests().filter { ($0["path"] as? String)?.hasPrefix("/api/v1/namespaces/cert-manager/secrets/") == true }
            #expect(secretReads.count == 1)
            #expect(!server.logs.text.contains(Self.secretValue))
        }
    }

    @Test("a missing Secret fails the challenge with a message naming namespace, Secret and key")
    func secretMissing() async throws {
        try await withCluster { server, _ in
            let config = #"{"apiTokenSecretRef": {"name": "no-such-secret", "key": "token"}}"#
            let answer = try await send(.POST, server.url + solverURL + "/memory", as: .alice, body: challengePayload(config: config))
            #expect(answer.status == 201)
            #expect(answer.challengeSucceeded == false)
            let message = try #require(answer.challengeMessage)
            #expect(message.contains("\"no-such-secret\" not found in namespace \"cert-manager\""))
            #expect(message.contains("\"token\""))
            let wrongKey = try await send(.POST, server.url + solverURL + "/memory", as: .alice, body: challengePayload(config: #"{"apiTokenSecretRef": {"name": "dns-token", "key": "nope"}}"#))
            #expect(wrongKey.challengeMessage == "secret cert-manager/dns-token has no key \"nope\" (it has: token)")
        }
    }

    @Test("a Secret the webhook may not read fails with a message naming the missing RBAC")
    func secretForbidden() async throws {
        try await withCluster { server, _ in
            let config = #"{"apiTokenSecretRef": {"name": "dns-token", "key": "token"}}"#
            let answer = try await send(.POST, server.url + solverURL + "/memory", as: .alice, body: challengePayload(namespace: "team-a", config: config))
            #expect(answer.challengeSucceeded == false)
            let message = try #require(answer.challengeMessage)
            #expect(message.contains("cannot read secret team-a/dns-token (key \"token\")"))
            #expect(message.contains("needs RBAC \"get\" on \"secrets\" in namespace \"team-a\""))
            #expect(message.contains(FakeKubeAPIServer.webhookUser))
        }
    }

    @Test("a bearer token is authenticated by TokenReview; an unknown one is 401")
    func bearerToken() async throws {
        try await withCluster { server, _ in
            let accepted = try await send(.POST, server.url + solverURL + "/memory", headers: [("Authorization", "Bearer cert-manager-token")], body: challengePayload(key: "by-token"))
            #expect(accepted.status == 201)
            #expect(accepted.challengeSucceeded == true)
            let refused = try await send(.GET, server.url + "/apis", headers: [("Authorization", "Bearer not-a-token")])
            #expect(refused.status == 401)
            // Tokens are credentials: neither appears in the log, only the reason.
            #expect(!server.logs.text.contains("cert-manager-token"))
            #expect(!server.logs.text.contains("not-a-token"))
            #expect(server.logs.text.contains("invalid bearer token"))
        }
    }

    @Test("request-header settings follow the ConfigMap when it changes")
    func configMapChange() async throws {
        try await withCluster { server, api in
            let headers = frontProxyHeaders(user: "system:kube-aggregator", groups: ["system:masters"])
            let before = try await send(.GET, server.url + "/apis", as: .frontProxy, headers: headers)
            #expect(before.status == 200)
            try await api.update(["configmap": ["requestheader-allowed-names": #"["not-allowed-proxy"]"#]])
            let switched = await eventually {
                (try? await send(.GET, server.url + "/apis", as: .notAllowedProxy, headers: headers))?.status == 200
            }
            #expect(switched)
            let old = try await send(.GET, server.url + "/apis", as: .frontProxy, headers: headers)
            #expect(old.status == 401)
        }
    }

    @Test("readiness waits for the authentication ConfigMap, and front-proxy requests are refused until then")
    func readinessWaitsForConfigMap() async throws {
        try await withCluster(["configmapPresent": false]) { server, api in
            let notReady = try await send(.GET, server.url + "/readyz")
            #expect(notReady.status == 500)
            #expect(notReady.body.contains("[-]authentication-config failed"))
            let headers = frontProxyHeaders(user: "system:kube-aggregator", groups: ["system:masters"])
            #expect(try await send(.GET, server.url + "/apis", as: .frontProxy, headers: headers).status == 401)
            try await api.update(["configmapPresent": true])
            let ready = await eventually { (try? await send(.GET, server.url + "/readyz"))?.status == 200 }
            #expect(ready)
            #expect(try await send(.GET, server.url + "/apis", as: .frontProxy, headers: headers).status == 200)
        }
    }
}
