import AcmeShProvider
import DNS01
import Foundation
import Kubernetes
import Logging
import TestSupport
import Testing
import WebhookSetup

/// Two replicas presenting values at one name at the same moment (the apex and the wildcard
/// challenge of a certificate landing on different pods) each save the state the script
/// wrote; neither loses the other's. Each value's record id lives only in the state, so rm of
/// a value whose id was lost fails.
@Suite("acmesh: state written by two replicas at once", .serialized)
struct AcmeShConcurrentReplicasTests {
    static let values = (0..<8).map { "value-\($0)" }

    func exercise(_ store: any ProviderStateStore, directory: String) async throws {
        // Two plugins: two processes' serialization, one shared store.
        let replicas = [AcmeShFixture.plugin(), AcmeShFixture.plugin()]
        var providers: [any DNSProvider] = []
        for plugin in replicas {
            providers.append(try await AcmeShFixture.provider(AcmeShFixture.stateBlock(directory), plugin: plugin, state: store))
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (index, value) in Self.values.enumerated() {
                let provider = providers[index % 2]
                group.addTask { try await provider.present(AcmeShFixture.challenge(.present, key: value)) }
            }
            try await group.waitForAll()
        }
        #expect(Set(AcmeShFixture.lines("\(directory)/records").map { String($0.split(separator: " ")[1]) }) == Set(Self.values))
        // Clean up from the other replica each time, one at a time (the fixture's records file
        // is not safe for concurrent rewrites; the state is what is under test).
        for (index, value) in Self.values.enumerated() {
            try await providers[(index + 1) % 2].cleanUp(AcmeShFixture.challenge(.cleanUp, key: value))
        }
        #expect(AcmeShFixture.lines("\(directory)/records").isEmpty)
    }

    @Test("in cluster Secrets (conditional on resourceVersion)")
    func cluster() async throws {
        let directory = try makeTemporaryDirectory("acmesh-replicas")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let api = try await FakeKubeAPIServer.start(pki: .shared, state: ["rules": AcmeShClusterStateTests.rules(verbs: ["get", "create", "update", "delete"])])
        defer { api.stop() }
        let client = KubernetesClient(connection: try Kubeconfig.load(path: api.kubeconfig).connection(), logger: Logger(label: "test"))
        let store = KubernetesStateStore(client: client, namespace: AcmeShClusterStateTests.webhookNamespace)
        try await exercise(store, directory: directory)
        let requests = try await api.requests()
        let conflicts = requests.filter { ($0["status"] as? Int) == 409 }.count
        print("acmesh: two replicas, 8 concurrent presents: \(conflicts) conflicting state writes retried")
        let configuration = try AcmeShFixture.plugin().decodeConfiguration(AcmeShFixture.stateBlock(directory), at: .root.appending("acmesh"), source: .operatorConfig)
        let name = AcmeShStateName.name(namespace: AcmeShFixture.namespace, configuration: configuration, fqdn: try DomainName("_acme-challenge.www.example.com"))
        #expect(try await store.load(name) == nil, "the state outlived the last value")
    }
}

@Suite("acmesh: conf files merged onto a newer version")
struct ConfMergeTests {
    @Test("a run's changes are reapplied onto what another replica saved meanwhile")
    func merge() {
        let before = Array("A='1'\nB='2'\n".utf8)
        let after = Array("A='1'\nB='3'\nC='new'\n".utf8)  // changed B, added C
        let latest = Array("A='1'\nB='2'\nD='other replica'\n".utf8)  // someone added D
        #expect(AcmeShConfMerge.merge(latest: latest, before: before, after: after).map { String(decoding: $0, as: UTF8.self) } == "A='1'\nB='3'\nD='other replica'\nC='new'\n")
        let removed = Array("A='1'\n".utf8)  // the run removed B
        #expect(AcmeShConfMerge.merge(latest: latest, before: before, after: removed).map { String(decoding: $0, as: UTF8.self) } == "A='1'\nD='other replica'\n")
        // Nothing changed: the newer version stands.
        #expect(AcmeShConfMerge.merge(latest: latest, before: before, after: before) == latest)
        // No newer version: the run's file.
        #expect(AcmeShConfMerge.merge(latest: before, before: before, after: after).map { String(decoding: $0, as: UTF8.self) } == "A='1'\nB='3'\nC='new'\n")
    }
}
