import AggregatedAPIServer
import DNS01
import Foundation
import ServerTestSupport
import TestSupport
import Testing

/// kubectl as the real client. kubectl cannot add `X-Remote-*` headers, but it sends its
/// impersonation flags as `Impersonate-User` / `Impersonate-Group` headers; the server is
/// told (`--requestheader-username-headers` etc.) that those are the front proxy's identity
/// headers. So kubectl presents the front-proxy client certificate and names the user in
/// headers, exactly the request-header path the aggregator takes.
@Suite("kubectl against the server")
struct KubectlTests {
    static let certManager = "system:serviceaccount:cert-manager:cert-manager"

    private func kubeconfig(for server: RunningServer, client: String) async throws -> String {
        let directory = try makeTemporaryDirectory("kubectl")
        let path = "\(directory)/kubeconfig-\(client).yaml"
        let result = try await runCommand(
            python,
            [
                "Tests/Peers/pki.py", "kubeconfig", TestPKI.shared["dir"], "--server", server.url, "--out", path,
                "--ca", "serving-ca", "--client", client,
            ])
        guard result.status == 0 else { throw PeerError("pki.py kubeconfig failed: \(result.stderr)") }
        return path
    }

    private func kubectl(_ arguments: [String]) async throws -> CommandResult {
        try await runCommand("kubectl", arguments + ["--request-timeout=30s"])
    }

    @Test("kubectl reads discovery and presents and cleans up a challenge through the front-proxy path")
    func frontProxyRoundTrip() async throws {
        let api = try await FakeKubeAPIServer.start(
            pki: .shared,
            state: [
                "rules": FakeKubeAPIServer.webhookRules + [
                    ["effect": "allow", "users": [Self.certManager], "verbs": ["create"], "apiGroups": ["acme.example.com"], "resources": ["memory"]],
                    ["effect": "allow", "users": [Self.certManager], "nonResourceURLs": ["/apis", "/apis/*"]],
                ]
            ])
        defer { api.stop() }
        var options = ServerOptions()
        options.kubeconfig = api.kubeconfig
        options.authentication = AuthenticationFlags(
            requestHeaderUsernameHeaders: ["Impersonate-User"],
            requestHeaderGroupHeaders: ["Impersonate-Group"],
            requestHeaderExtraHeadersPrefix: ["Impersonate-Extra-"]
        )
        try await withWebhookServer(options) { server in
            let ready = await eventually { (try? await send(.GET, server.url + "/readyz"))?.status == 200 }
            try #require(ready)
            let config = try await kubeconfig(for: server, client: "front-proxy-client")
            let identity = ["--kubeconfig", config, "--as", Self.certManager, "--as-group", "system:serviceaccounts"]

            let discovery = try await kubectl(identity + ["get", "--raw", "/apis/acme.example.com/v1alpha1"])
            #expect(discovery.status == 0, "\(discovery.stderr)")
            let resources = try JSONSerialization.jsonObject(with: Data(discovery.stdout.utf8)) as? [String: Any]
            let names = (resources?["resources"] as? [[String: Any]])?.compactMap { $0["name"] as? String }
            #expect(names == ["dispatch", "memory"])

            let directory = try makeTemporaryDirectory("kubectl-payload")
            let presentFile = "\(directory)/present.json"
            try challengePayload(key: "from-kubectl").write(toFile: presentFile, atomically: true, encoding: .utf8)
            let present = try await kubectl(identity + ["create", "--raw", "/apis/acme.example.com/v1alpha1/memory", "-f", presentFile])
            #expect(present.status == 0, "\(present.stderr)")
            let reply = try JSONSerialization.jsonObject(with: Data(present.stdout.utf8)) as? [String: Any]
            #expect((reply?["response"] as? [String: Any])?["success"] as? Bool == true)
            let record = try DomainName("_acme-challenge.example.com")
            #expect(server.records.values(at: record) == ["from-kubectl"])

            let cleanUpFile = "\(directory)/cleanup.json"
            try challengePayload(action: "CleanUp", key: "from-kubectl").write(toFile: cleanUpFile, atomically: true, encoding: .utf8)
            let cleanUp = try await kubectl(identity + ["create", "--raw", "/apis/acme.example.com/v1alpha1/memory", "-f", cleanUpFile])
            #expect(cleanUp.status == 0, "\(cleanUp.stderr)")
            #expect(server.records.values(at: record).isEmpty)

            // The webhook authorized the impersonated user, not the proxy certificate's CN.
            let users = try await api.requests()
                .filter { $0["path"] as? String == "/apis/authorization.k8s.io/v1/subjectaccessreviews" }
                .compactMap { (($0["body"] as? [String: Any])?["spec"] as? [String: Any])?["user"] as? String }
            #expect(Set(users) == [Self.certManager])

            // Without the identity headers the proxy certificate alone is not a user: 401.
            let anonymousProxy = try await kubectl(["--kubeconfig", config, "get", "--raw", "/apis"])
            #expect(anonymousProxy.status != 0)
            #expect(anonymousProxy.stderr.contains("Unauthorized"))
        }
    }

    @Test("kubectl with a client-CA certificate in system:masters reads discovery; an unknown solver shows the 404 message")
    func clientCertificate() async throws {
        try await withWebhookServer(.flagsOnly) { server in
            let config = try await kubeconfig(for: server, client: "alice")
            let groups = try await kubectl(["--kubeconfig", config, "get", "--raw", "/apis"])
            #expect(groups.status == 0, "\(groups.stderr)")
            #expect(groups.stdout.contains("\"acme.example.com\""))
            let directory = try makeTemporaryDirectory("kubectl-payload")
            let file = "\(directory)/present.json"
            try challengePayload().write(toFile: file, atomically: true, encoding: .utf8)
            let missing = try await kubectl(["--kubeconfig", config, "create", "--raw", "/apis/acme.example.com/v1alpha1/route66", "-f", file])
            #expect(missing.status != 0)
            #expect(missing.stderr.contains("solver \"route66\" is not served"))
        }
    }
}
