import AggregatedAPIServer
import Foundation
import ServerTestSupport
import Testing
import TestSupport

/// Authentication and authorization with CAs from flags (no cluster): who gets 401, 403, 200.
@Suite("Authentication without a cluster")
struct AuthenticationTests {
    @Test("health endpoints answer without a certificate")
    func healthWithoutCertificate() async throws {
        try await withWebhookServer(.flagsOnly) { server in
            for path in ["/healthz", "/livez", "/readyz"] {
                let answer = try await send(.GET, server.url + path)
                #expect(answer.status == 200, "\(path)")
                #expect(answer.body == "ok")
            }
            let verbose = try await send(.GET, server.url + "/readyz?verbose")
            #expect(verbose.body.contains("[+]authentication-config ok"))
        }
    }

    @Test("no certificate is 401 on everything but health")
    func anonymous() async throws {
        try await withWebhookServer(.flagsOnly) { server in
            for path in ["/apis", "/apis/acme.example.com/v1alpha1", "/metrics", "/version"] {
                let answer = try await send(.GET, server.url + path)
                #expect(answer.status == 401, "\(path)")
                #expect(answer.json?["kind"] as? String == "Status")
                #expect(answer.json?["reason"] as? String == "Unauthorized")
            }
            let post = try await send(.POST, server.url + "/apis/acme.example.com/v1alpha1/memory", body: challengePayload())
            #expect(post.status == 401)
            #expect(server.records.names.isEmpty)
        }
    }

    @Test(
        "a rejected client certificate is 401 even with identity headers",
        arguments: [
            ("wrong CA", ClientIdentity.wrongCA),
            ("CN not allowed", ClientIdentity.notAllowedProxy),
            ("no client-auth usage", ClientIdentity.frontProxyWithoutClientAuth),
        ]
    )
    func rejectedCertificate(name: String, identity: ClientIdentity) async throws {
        try await withWebhookServer(.flagsOnly) { server in
            let headers = frontProxyHeaders(user: "system:kube-aggregator", groups: ["system:masters"])
            let answer = try await send(.GET, server.url + "/apis/acme.example.com/v1alpha1", as: identity, headers: headers)
            #expect(answer.status == 401, "\(name)")
            #expect(answer.message == "Unauthorized")
            // The reason goes to the log, with the request's Audit-Id, not to the client.
            #expect(server.logs.text.contains("authentication failed"))
        }
    }

    @Test("the reason for a refused certificate is logged under the request's Audit-Id")
    func refusalLoggedWithAuditID() async throws {
        try await withWebhookServer(.flagsOnly) { server in
            let headers = frontProxyHeaders(user: "u") + [("Audit-Id", "audit-1234")]
            let answer = try await send(.GET, server.url + "/apis", as: .notAllowedProxy, headers: headers)
            #expect(answer.status == 401)
            #expect(answer.header("Audit-Id") == "audit-1234")
            let line = server.logs.text.split(separator: "\n").first { $0.contains("audit-1234") && $0.contains("authentication failed") }
            #expect(line?.contains("not-allowed-proxy") == true)
        }
    }

    @Test("the front proxy's certificate without a username header is 401")
    func frontProxyWithoutUser() async throws {
        try await withWebhookServer(.flagsOnly) { server in
            let answer = try await send(.GET, server.url + "/apis", as: .frontProxy)
            #expect(answer.status == 401)
        }
    }

    @Test("the aggregator's probe (front proxy, system:masters) gets the resource list")
    func aggregatorProbe() async throws {
        try await withWebhookServer(.flagsOnly) { server in
            let headers = frontProxyHeaders(user: "system:kube-aggregator", groups: ["system:masters"])
            let answer = try await send(.GET, server.url + "/apis/acme.example.com/v1alpha1", as: .frontProxy, headers: headers)
            #expect(answer.status == 200)
            #expect(answer.json?["kind"] as? String == "APIResourceList")
        }
    }

    @Test("identity headers without the front-proxy certificate count for nothing")
    func headersNeedTheProxyCertificate() async throws {
        try await withWebhookServer(.flagsOnly) { server in
            // bob is a valid client certificate, but not the proxy: he stays bob.
            let headers = frontProxyHeaders(user: "system:kube-aggregator", groups: ["system:masters"])
            let answer = try await send(.GET, server.url + "/apis", as: .bob, headers: headers)
            #expect(answer.status == 403)
            #expect(answer.message?.contains("User \"bob\"") == true)
        }
    }

    @Test("a client-CA certificate in system:masters is allowed")
    func masters() async throws {
        try await withWebhookServer(.flagsOnly) { server in
            let answer = try await send(.GET, server.url + "/apis", as: .alice)
            #expect(answer.status == 200)
            #expect(answer.json?["kind"] as? String == "APIGroupList")
        }
    }

    @Test("without a cluster to ask, anyone outside system:masters is forbidden with the Kubernetes message")
    func forbiddenWithoutCluster() async throws {
        try await withWebhookServer(.flagsOnly) { server in
            let answer = try await send(.POST, server.url + "/apis/acme.example.com/v1alpha1/memory", as: .bob, body: challengePayload())
            #expect(answer.status == 403)
            #expect(answer.json?["reason"] as? String == "Forbidden")
            #expect(answer.message?.hasPrefix("memory.acme.example.com is forbidden: User \"bob\" cannot create resource \"memory\" in API group \"acme.example.com\" at the cluster scope") == true)
        }
    }
}
