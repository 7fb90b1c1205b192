import DNS01
import Foundation
import Kubernetes
import TestSupport
import Testing

@Suite("Kubeconfig and in-cluster connections")
struct KubeconfigTests {
    private func write(_ text: String, in directory: String, as name: String = "config.yaml") throws -> String {
        let path = "\(directory)/\(name)"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    private func kubeconfig(cluster: String, user: String) -> String {
        """
        apiVersion: v1
        kind: Config
        current-context: test
        contexts:
        - name: test
          context: {cluster: c, user: u, namespace: team-a}
        clusters:
        - name: c
          cluster:
        \(cluster.split(separator: "\n").map { "    " + $0 }.joined(separator: "\n"))
        users:
        - name: u
          user:
        \(user.split(separator: "\n").map { "    " + $0 }.joined(separator: "\n"))
        """
    }

    @Test("client certificate and CA files resolve relative to the kubeconfig")
    func relativeFiles() throws {
        let pki = TestPKI.shared
        let directory = try makeTemporaryDirectory("kubeconfig")
        for (source, name) in [(pki["clusterCACert"], "ca.crt"), (pki["webhookClientCert"], "client.crt"), (pki["webhookClientKey"], "client.key")] {
            try FileManager.default.copyItem(atPath: source, toPath: "\(directory)/\(name)")
        }
        let path = try write(kubeconfig(cluster: "server: https://127.0.0.1:6443/\ncertificate-authority: ca.crt", user: "client-certificate: client.crt\nclient-key: client.key"), in: directory)
        let connection = try Kubeconfig.load(path: path).connection()
        #expect(connection.server == "https://127.0.0.1:6443")
        #expect(connection.trustRoots?.count == 1)
        #expect(connection.clientCertificateChain.count == 1)
        #expect(connection.clientKey != nil)
        #expect(connection.namespace == "team-a")
        #expect(connection.bearerToken == nil)
    }

    @Test("-data fields are base64 PEM")
    func inlineData() throws {
        let pki = TestPKI.shared
        let directory = try makeTemporaryDirectory("kubeconfig")
        func base64(_ path: String) throws -> String { try Data(contentsOf: URL(fileURLWithPath: path)).base64EncodedString() }
        let path = try write(
            kubeconfig(
                cluster: "server: https://k8s.example:443\ncertificate-authority-data: \(try base64(pki["clusterCACert"]))",
                user: "client-certificate-data: \(try base64(pki["aliceCert"]))\nclient-key-data: \(try base64(pki["aliceKey"]))"
            ), in: directory)
        let connection = try Kubeconfig.load(path: path).connection()
        #expect(connection.clientCertificateChain.count == 1)
        #expect(connection.trustRoots?.count == 1)
    }

    @Test("a token file is re-read, so a rotated token is used")
    func tokenFile() throws {
        let directory = try makeTemporaryDirectory("kubeconfig")
        let tokenPath = try write("first-token\n", in: directory, as: "token")
        let source = BearerTokenSource.file(tokenPath, refreshInterval: .zero)
        #expect(try source.token().text == "first-token")
        _ = try write("second-token", in: directory, as: "token")
        #expect(try source.token().text == "second-token")
        let path = try write(kubeconfig(cluster: "server: https://127.0.0.1:6443", user: "tokenFile: token"), in: directory)
        #expect(try Kubeconfig.load(path: path).connection().bearerToken?.token().text == "second-token")
    }

    @Test(
        "unsupported credentials and broken references are refused with a message",
        arguments: [
            ("exec:\n  command: aws", "exec credential plugin \"aws\": apiVersion is missing; use client.authentication.k8s.io/v1 or client.authentication.k8s.io/v1beta1"),
            ("username: admin\npassword: x", "not auth-provider or basic auth"),
            ("client-certificate: missing.crt\nclient-key: missing.key", "cannot be read"),
            ("client-certificate-data: bm90IGEgY2VydA==", "needs both a certificate and a key"),
        ])
    func refused(user: String, expected: String) throws {
        let directory = try makeTemporaryDirectory("kubeconfig")
        let path = try write(kubeconfig(cluster: "server: https://127.0.0.1:6443", user: user), in: directory)
        #expect {
            _ = try Kubeconfig.load(path: path).connection()
        } throws: { error in
            (error as? KubernetesError)?.message.contains(expected) == true
        }
    }

    @Test("a context naming an undefined cluster is refused")
    func undefinedCluster() throws {
        let directory = try makeTemporaryDirectory("kubeconfig")
        let path = try write("current-context: x\ncontexts:\n- name: x\n  context: {cluster: nowhere}\n", in: directory)
        #expect {
            _ = try Kubeconfig.load(path: path).connection()
        } throws: { error in
            (error as? KubernetesError)?.message.contains("names cluster \"nowhere\", which is not defined") == true
        }
    }

    @Test("in-cluster: the service host and port, the mounted CA and a token re-read from its file")
    func inCluster() throws {
        let directory = try makeTemporaryDirectory("serviceaccount")
        try FileManager.default.copyItem(atPath: TestPKI.shared["clusterCACert"], toPath: "\(directory)/ca.crt")
        try "sa-token".write(toFile: "\(directory)/token", atomically: true, encoding: .utf8)
        try "cert-manager\n".write(toFile: "\(directory)/namespace", atomically: true, encoding: .utf8)
        let connection = try KubernetesConnection.inCluster(
            environment: ["KUBERNETES_SERVICE_HOST": "fd00::1", "KUBERNETES_SERVICE_PORT": "443"],
            serviceAccountDirectory: directory
        )
        #expect(connection.server == "https://[fd00::1]:443")
        #expect(connection.namespace == "cert-manager")
        #expect(try connection.bearerToken?.token().text == "sa-token")
        #expect(throws: KubernetesError.self) { try KubernetesConnection.inCluster(environment: [:], serviceAccountDirectory: directory) }
    }

    @Test("names that would change the API path are not valid Kubernetes names", arguments: ["../x", "a/b", "A", "-a", "a?b", "", String(repeating: "a", count: 64)])
    func invalidLabels(name: String) {
        #expect(!KubernetesName.isValidLabel(name))
    }

    @Test("ordinary names are valid")
    func validNames() {
        #expect(KubernetesName.isValidLabel("cert-manager"))
        #expect(KubernetesName.isValidSubdomain("route53-credentials.v2"))
        #expect(!KubernetesName.isValidSubdomain("a..b"))
    }
}
