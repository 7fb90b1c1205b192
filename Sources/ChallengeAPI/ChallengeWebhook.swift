import AggregatedAPIServer
import DNS01
import Kubernetes
import Logging

/// dns01-webhook's server: an aggregated API server serving cert-manager's challenge API,
/// with every metric named `dns01_webhook_*`. `serve` and the tests build it here.
public enum ChallengeWebhook {
    public static let metricsNamespace = "dns01_webhook"

    /// The server for `groupName` (the Issuers' `webhook.groupName`), calling `dispatcher`.
    public static func server(
        configuration: AggregatedAPIServerConfiguration,
        groupName: String,
        dispatcher: ChallengeDispatcher,
        kubernetes: KubernetesClient?,
        logger: Logger,
        onListening: @escaping @Sendable (Int) async -> Void = { _ in }
    ) throws -> AggregatedAPIServer {
        let metrics = ServerMetrics(namespace: metricsNamespace)
        let challenges = ChallengeHandler(group: groupName, dispatcher: dispatcher, metrics: ChallengeMetrics(server: metrics, namespace: metricsNamespace))
        return try AggregatedAPIServer(
            configuration: configuration,
            resources: [challenges],
            kubernetes: kubernetes,
            metrics: metrics,
            logger: logger,
            onListening: onListening
        )
    }
}
