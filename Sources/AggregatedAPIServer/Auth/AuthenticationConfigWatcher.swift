import Kubernetes
import Logging
import ServiceLifecycle

/// Keeps the request-header and client-CA settings in step with
/// `kube-system/extension-apiserver-authentication`: list, then watch from the list's
/// resourceVersion; on any failure, back off and list again. Stops on graceful shutdown.
struct AuthenticationConfigWatcher: Service, CustomStringConvertible {
    let client: KubernetesClient
    let store: AuthenticationSettingsStore
    let logger: Logger
    var watchTimeoutSeconds = 300

    private var path: String { "/api/v1/namespaces/\(AuthenticationSettingsBuilder.configMapNamespace)/configmaps" }
    private var selector: (String, String) { ("fieldSelector", "metadata.name=\(AuthenticationSettingsBuilder.configMapName)") }

    var description: String { "AuthenticationConfigWatcher(\(client.connection.server))" }

    func run() async throws {
        do {
            try await cancelWhenGracefulShutdown { try await watchUntilCancelled() }
        } catch is CancellationError {
            return
        }
    }

    private func watchUntilCancelled() async throws {
        var backoff = Duration.seconds(1)
        while !Task.isCancelled {
            do {
                let list: ConfigMapList = try await client.get(path, query: [selector])
                if let configMap = list.items.first {
                    store.apply(configMapData: configMap.data ?? [:], resourceVersion: configMap.metadata.resourceVersion)
                } else {
                    report("the ConfigMap kube-system/\(AuthenticationSettingsBuilder.configMapName) does not exist")
                }
                backoff = .seconds(1)
                try await client.watch(
                    path,
                    query: [selector, ("resourceVersion", list.metadata.resourceVersion ?? "0")],
                    timeoutSeconds: watchTimeoutSeconds,
                    as: ConfigMap.self
                ) { event in
                    switch event.type {
                    case .added, .modified:
                        store.apply(configMapData: event.object.data ?? [:], resourceVersion: event.object.metadata.resourceVersion)
                    case .deleted:
                        report("the ConfigMap kube-system/\(AuthenticationSettingsBuilder.configMapName) was deleted; keeping the last settings")
                    case .bookmark, .error:
                        break
                    }
                }
            } catch {
                if Task.isCancelled { return }
                let reason: String
                if let error = error as? KubernetesError, error.isForbidden {
                    reason = "cannot read the ConfigMap kube-system/\(AuthenticationSettingsBuilder.configMapName): the webhook's service account needs the Role extension-apiserver-authentication-reader in kube-system (get, list, watch on configmaps); \(error.message)"
                } else {
                    reason = "cannot read the ConfigMap kube-system/\(AuthenticationSettingsBuilder.configMapName): \(error)"
                }
                report(reason)
                try await Task.sleep(for: backoff)
                backoff = min(backoff * 2, .seconds(30))
            }
        }
    }

    private func report(_ reason: String) {
        logger.warning("authentication ConfigMap unavailable", metadata: ["reason": "\(reason)"])
        store.recordLookupFailure(reason)
    }
}
