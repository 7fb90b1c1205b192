import DNS01
import Foundation

/// Provider state (`ProviderStateStore`) kept as Secrets in the webhook's own namespace, so
/// CleanUp finds what Present saved on any replica and after a restart. Secrets, not
/// ConfigMaps: what acme.sh scripts save includes their credentials.
///
/// Each entry is one `Opaque` Secret named by the provider and labelled
/// `app.kubernetes.io/managed-by: dns01-webhook` plus the provider's labels; the chart's RBAC
/// grants get, create, update and delete on Secrets in that namespace only.
public struct KubernetesStateStore: ProviderStateStore {
    public static let managedByLabel = ["app.kubernetes.io/managed-by": "dns01-webhook"]

    private let client: KubernetesClient
    public let namespace: String

    public init(client: KubernetesClient, namespace: String) {
        self.client = client
        self.namespace = namespace
    }

    private func path(_ name: String) -> String { "/api/v1/namespaces/\(namespace)/secrets/\(name)" }

    public func load(_ name: String) async throws -> ProviderStateEntry? {
        let secret: Secret
        do {
            secret = try await client.get(path(name))
        } catch {
            if error.isNotFound { return nil }
            throw failure("read", name, error)
        }
        var files: [String: [UInt8]] = [:]
        for key in secret.keys {
            files[key] = try secret.value(for: key)
        }
        return ProviderStateEntry(files: files, version: secret.metadata.resourceVersion)
    }

    public func save(_ name: String, files: [String: [UInt8]], labels: [String: String], replacing version: String?) async throws -> Bool {
        var object = StateSecret(
            metadata: .init(name: name, namespace: namespace, labels: Self.managedByLabel.merging(labels) { $1 }),
            data: files.mapValues { Data($0).base64EncodedString() }
        )
        guard let version else {
            do {
                let _: Secret = try await client.create("/api/v1/namespaces/\(namespace)/secrets", object)
                return true
            } catch {
                // Another replica created it first.
                if error.isConflict { return false }
                throw failure("create", name, error)
            }
        }
        // The apiserver refuses the update (409) when the Secret is no longer at `version`.
        object.metadata.resourceVersion = version
        do {
            let _: Secret = try await client.replace(path(name), object)
            return true
        } catch {
            if error.isConflict || error.isNotFound { return false }
            throw failure("update", name, error)
        }
    }

    public func delete(_ name: String, version: String?) async throws -> Bool {
        do {
            try await client.delete(path(name), options: version.map { DeleteOptions(resourceVersion: $0) })
            return true
        } catch {
            if error.isNotFound { return true }
            if error.isConflict { return false }
            throw failure("delete", name, error)
        }
    }

    private func failure(_ verb: String, _ name: String, _ error: KubernetesError) -> DNS01Error {
        let subject = "the state Secret \(namespace)/\(name)"
        if error.isForbidden {
            return DNS01Error(
                .providerUnavailable,
                "cannot \(verb) \(subject): the webhook's service account needs RBAC get, create, update and delete on \"secrets\" in namespace \"\(namespace)\" (the chart grants it when an acmesh solver is configured); the apiserver said: \(error.status?.message ?? error.message)"
            )
        }
        return DNS01Error(.providerUnavailable, "cannot \(verb) \(subject): \(error.message)")
    }
}

/// The Secret as written: name, labels, data (base64), type.
struct StateSecret: Encodable {
    struct Metadata: Encodable {
        var name: String
        var namespace: String
        var labels: [String: String]
        var resourceVersion: String?
    }
    var apiVersion = "v1"
    var kind = "Secret"
    var metadata: Metadata
    var type = "Opaque"
    var data: [String: String]

    init(metadata: Metadata, data: [String: String]) {
        self.metadata = metadata
        self.data = data
    }
}
