import DNS01
import Foundation
import Kubernetes
import TestSupport
import Testing

/// Which kubeconfig the CLI uses, as kubectl decides: `--kubeconfig`, else `KUBECONFIG`
/// (several files merged), else `~/.kube/config`; `--context` instead of the current-context.
@Suite("Kubeconfig discovery and merging, like kubectl")
struct KubeconfigDiscoveryTests {
    let directory: String

    init() throws {
        directory = try makeTemporaryDirectory("kubeconfig-merge")
    }

    func write(_ text: String, _ name: String) throws -> String {
        let path = "\(directory)/\(name)"
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// Two files that both define cluster `shared` and context `a`; the second also sets a
    /// current-context and has context `b` whose user reads a token file next to it.
    func twoFiles() throws -> (first: String, second: String) {
        let first = try write(
            """
            current-context: a
            clusters:
            - {name: shared, cluster: {server: "https://first.example:6443"}}
            contexts:
            - {name: a, context: {cluster: shared, user: first-user}}
            users:
            - {name: first-user, user: {token: first-token}}
            """, "one/config")
        _ = try write("second-token\n", "two/token")
        let second = try write(
            """
            current-context: b
            clusters:
            - {name: shared, cluster: {server: "https://second.example:6443"}}
            - {name: own, cluster: {server: "https://own.example:6443"}}
            contexts:
            - {name: a, context: {cluster: own, user: second-user}}
            - {name: b, context: {cluster: own, user: second-user}}
            users:
            - {name: second-user, user: {tokenFile: token}}
            """, "two/config")
        return (first, second)
    }

    @Test("KUBECONFIG files merge as kubectl merges them: the first to set a name or the current-context wins; missing files are skipped")
    func merge() throws {
        let (first, second) = try twoFiles()
        let environment = ["KUBECONFIG": "\(first):\(directory)/missing:\(second)", "HOME": directory]
        let current = try #require(try KubernetesConnection.discoverLikeKubectl(kubeconfig: nil, context: nil, environment: environment, interactive: false))
        #expect(current.server == "https://first.example:6443")
        #expect(try current.bearerToken?.token().text == "first-token")
        let chosen = try #require(try KubernetesConnection.discoverLikeKubectl(kubeconfig: nil, context: "b", environment: environment, interactive: false))
        #expect(chosen.server == "https://own.example:6443")
        // A relative path resolves against the file that defined the user.
        #expect(try chosen.bearerToken?.token().text == "second-token")

        let reversed = ["KUBECONFIG": "\(second):\(first)"]
        let other = try #require(try KubernetesConnection.discoverLikeKubectl(kubeconfig: nil, context: "a", environment: reversed, interactive: false))
        #expect(other.server == "https://own.example:6443")
    }

    @Test("--kubeconfig wins over KUBECONFIG; ~/.kube/config is the fallback; nothing at all is nil")
    func precedence() throws {
        let (first, second) = try twoFiles()
        let explicit = try KubernetesConnection.discoverLikeKubectl(kubeconfig: second, context: nil, environment: ["KUBECONFIG": first], interactive: false)
        #expect(explicit?.server == "https://own.example:6443")
        let home = try makeTemporaryDirectory("home")
        try FileManager.default.createDirectory(atPath: "\(home)/.kube", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: first, toPath: "\(home)/.kube/config")
        let fallback = try KubernetesConnection.discoverLikeKubectl(kubeconfig: nil, context: nil, environment: ["HOME": home], interactive: false)
        #expect(fallback?.server == "https://first.example:6443")
        #expect(try KubernetesConnection.discoverLikeKubectl(kubeconfig: nil, context: nil, environment: ["HOME": directory], interactive: false) == nil)
    }

    @Test("an unknown --context lists the contexts there are; KUBECONFIG naming no existing file is an error")
    func errors() throws {
        let (first, second) = try twoFiles()
        let unknown = #expect(throws: KubernetesError.self) {
            try KubernetesConnection.discoverLikeKubectl(kubeconfig: nil, context: "c", environment: ["KUBECONFIG": "\(first):\(second)"], interactive: false)
        }
        #expect(unknown?.message == "kubeconfig \(first):\(second) has no context \"c\" (it has: a, b)")
        let none = #expect(throws: KubernetesError.self) {
            try KubernetesConnection.discoverLikeKubectl(kubeconfig: nil, context: nil, environment: ["KUBECONFIG": "\(directory)/nope"], interactive: false)
        }
        #expect(none?.message == "none of the files KUBECONFIG names exists (\(directory)/nope)")
        let contextWithout = #expect(throws: KubernetesError.self) {
            try KubernetesConnection.discoverLikeKubectl(kubeconfig: nil, context: "a", environment: ["HOME": directory], interactive: false)
        }
        #expect(contextWithout?.message.hasPrefix("--context needs a kubeconfig") == true)
    }
}
