import AcmeShProvider
import DNS01
import Foundation
import Kubernetes
import Logging
import TestSupport
import Testing

/// `serve`'s state store: what a script saves in add is a Secret in the webhook's namespace,
/// found by rm on another replica (another plugin, another process's memory), against the
/// fake kube-apiserver with the RBAC the chart grants.
@Suite("acmesh: state in cluster Secrets", .serialized)
struct AcmeShClusterStateTests {
    static let webhookNamespace = "dns01-webhook"

    static func rules(verbs: [String]) -> [[String: Any]] {
        [["effect": "allow", "users": [FakeKubeAPIServer.webhookUser], "verbs": verbs, "resources": ["secrets"], "namespaces": [webhookNamespace]]]
    }

    func withStore(verbs: [String], _ body: (KubernetesStateStore, KubernetesClient) async throws -> Void) async throws {
        let api = try await FakeKubeAPIServer.start(pki: .shared, state: ["rules": Self.rules(verbs: verbs)])
        defer { api.stop() }
        let client = KubernetesClient(connection: try Kubeconfig.load(path: api.kubeconfig).connection(), logger: Logger(label: "test"))
        try await body(KubernetesStateStore(client: client, namespace: Self.webhookNamespace), client)
    }

    @Test("add on one replica, rm on another: the Secret carries the script's saved values, labelled, and goes with the last value")
    func replicas() async throws {
        let directory = try makeTemporaryDirectory("acmesh-cluster")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try await withStore(verbs: ["get", "create", "update", "delete"]) { store, client in
            let replicaA = try await AcmeShFixture.provider(AcmeShFixture.stateBlock(directory), plugin: AcmeShFixture.plugin(), state: store)
            try await replicaA.present(AcmeShFixture.challenge(.present, key: "apex-value"))
            try await replicaA.present(AcmeShFixture.challenge(.present, key: "wildcard-value"))
            #expect(AcmeShFixture.lines("\(directory)/records").count == 2)

            let configuration = try AcmeShFixture.plugin().decodeConfiguration(AcmeShFixture.stateBlock(directory), at: .root.appending("acmesh"), source: .operatorConfig)
            let name = AcmeShStateName.name(namespace: AcmeShFixture.namespace, configuration: configuration, fqdn: try DomainName("_acme-challenge.www.example.com"))
            let secret: Secret = try await client.get("/api/v1/namespaces/\(Self.webhookNamespace)/secrets/\(name)")
            #expect(secret.keys == ["account.conf", "domain.conf", "values"])
            #expect(
                secret.metadata.labels == [
                    "app.kubernetes.io/managed-by": "dns01-webhook", "dns01-webhook/provider": "acmesh", "dns01-webhook/script": "dns_teststate",
                ])
            #expect(String(decoding: try secret.value(for: "values") ?? [], as: UTF8.self) == "apex-value\nwildcard-value")
            #expect(String(decoding: try secret.value(for: "account.conf") ?? [], as: UTF8.self).contains("SAVED_STATE_Token="))

            let replicaB = try await AcmeShFixture.provider(AcmeShFixture.stateBlock(directory), plugin: AcmeShFixture.plugin(), state: store)
            try await replicaB.cleanUp(AcmeShFixture.challenge(.cleanUp, key: "apex-value"))
            #expect(AcmeShFixture.lines("\(directory)/records").map { $0.split(separator: " ")[1] } == ["wildcard-value"])
            try await replicaB.cleanUp(AcmeShFixture.challenge(.cleanUp, key: "wildcard-value"))
            #expect(AcmeShFixture.lines("\(directory)/records").isEmpty)
            await #expect(throws: KubernetesError.self) {
                let _: Secret = try await client.get("/api/v1/namespaces/\(Self.webhookNamespace)/secrets/\(name)")
            }
        }
    }

    @Test("without the RBAC to write Secrets the step fails naming what to grant")
    func forbidden() async throws {
        let directory = try makeTemporaryDirectory("acmesh-cluster-rbac")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try await withStore(verbs: ["get"]) { store, _ in
            let provider = try await AcmeShFixture.provider(AcmeShFixture.stateBlock(directory), state: store)
            let error = await #expect(throws: DNS01Error.self) { try await provider.present(AcmeShFixture.challenge(.present, key: "v")) }
            #expect(error?.code == .providerUnavailable)
            #expect(
                error?.message.contains(
                    "the webhook's service account needs RBAC get, create, update and delete on \"secrets\" in namespace \"dns01-webhook\" (the chart grants it when an acmesh solver is configured)"
                ) == true, "\(error?.message ?? "")")
        }
    }
}
