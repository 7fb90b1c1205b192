import AggregatedAPIServer
import CoreMetrics
import Metrics
import Prometheus

/// The challenge metrics, in the server's registry (so `/metrics` shows them):
///
/// - `dns01_webhook_challenges_total{solver,action,outcome}` (outcome: success, failure, timeout)
/// - `dns01_webhook_provider_call_duration_seconds{solver,action,outcome}`
public final class ChallengeMetrics: Sendable {
    private let factory: PrometheusMetricsFactory
    private let namespace: String
    private let metrics = MetricCache<Key, (CoreMetrics.Counter, Metrics.Timer)>()

    private struct Key: Hashable { var solver: String; var action: String; var outcome: String }

    /// - Parameter server: the server's metrics, whose registry and latency buckets these share.
    public init(server: ServerMetrics, namespace: String = "dns01_webhook") {
        self.factory = server.factory
        self.namespace = namespace
    }

    func challenge(solver: String, action: String, outcome: String, providerDuration: Duration) {
        let (count, latency) = metrics.value(for: Key(solver: solver, action: action, outcome: outcome)) { [factory, namespace] in
            let dimensions = [("solver", solver), ("action", action), ("outcome", outcome)]
            return (CoreMetrics.Counter(label: "\(namespace)_challenges_total", dimensions: dimensions, factory: factory),
                    Metrics.Timer(label: "\(namespace)_provider_call_duration_seconds", dimensions: dimensions, factory: factory))
        }
        count.increment()
        latency.record(duration: providerDuration)
    }
}
