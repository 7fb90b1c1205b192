import DNS01
import Foundation
import Kubernetes
import KubernetesLeases
import Logging

extension NameLocking {
    /// The lock of `serve`: Leases in the webhook's namespace when it has a cluster connection
    /// (replicas exclude each other through the apiserver); without one (a single process
    /// outside a cluster), the file lock in `stateDirectory`. `challengeDeadline` is
    /// `--request-timeout`: a step waits two thirds of it at most, and Leases outlast it.
    ///
    /// The namespace is `POD_NAMESPACE` (the chart sets it), else the connection's (the pod's
    /// service-account namespace, or the kubeconfig context's), else `default`; the holder is
    /// `POD_NAME`, else the host name and process id.
    public static func forServe(
        kubernetes: KubernetesClient?,
        challengeDeadline: Duration,
        stateDirectory: String? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        logger: Logger
    ) -> NameLocking {
        guard let kubernetes else {
            return forCommandLine(stateDirectory: stateDirectory, maximumWait: challengeDeadline * 2 / 3, environment: environment)
        }
        // Each apiserver call may take a third of the deadline at most, so an apiserver that
        // does not answer fails the challenge with that cause before the request times out.
        let client = KubernetesClient(connection: kubernetes.connection, requestTimeout: min(.seconds(10), challengeDeadline / 3), logger: logger)
        let lock = LeaseRecordNameLock(
            client: client,
            namespace: nonEmpty(environment["POD_NAMESPACE"]) ?? nonEmpty(kubernetes.connection.namespace) ?? "default",
            holder: nonEmpty(environment["POD_NAME"]) ?? "\(ProcessInfo.processInfo.hostName)-\(ProcessInfo.processInfo.processIdentifier)",
            challengeDeadline: challengeDeadline,
            logger: logger
        )
        // Two thirds of the deadline at most for the wait: the step itself needs the rest.
        return NameLocking(lock: lock, maximumWait: challengeDeadline * 2 / 3)
    }

    /// The lock of `present`, `cleanup` and `check`: a file lock per record name in
    /// `stateDirectory` (`--state-dir`), by default `$XDG_STATE_HOME/dns01-webhook/locks`.
    public static func forCommandLine(stateDirectory: String?, maximumWait: Duration, environment: [String: String] = ProcessInfo.processInfo.environment) -> NameLocking {
        let directory = stateDirectory.map { $0.hasSuffix("/") ? $0 + "locks" : $0 + "/locks" } ?? FileRecordNameLock.defaultDirectory(environment: environment)
        return NameLocking(lock: FileRecordNameLock(directory: directory), maximumWait: maximumWait)
    }

    /// Removes lock Leases left by replicas that died more than a day ago. Logged, never
    /// fatal: a left Lease only costs a takeover when its name is next written.
    public func sweepLeftLocks(logger: Logger) async {
        guard let leases = lock as? LeaseRecordNameLock else { return }
        do {
            let removed = try await leases.sweep()
            if removed > 0 {
                logger.info("removed record-name lock Leases left for more than a day", metadata: ["count": "\(removed)", "namespace": "\(leases.namespace)"])
            }
        } catch {
            logger.warning("could not clean up left record-name lock Leases", metadata: ["error": "\(PlainErrorText.describe(error))"])
        }
    }
}

private func nonEmpty(_ text: String?) -> String? {
    guard let text, !text.isEmpty else { return nil }
    return text
}
