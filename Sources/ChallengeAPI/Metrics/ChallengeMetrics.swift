import AggregatedAPIServer
import CoreMetrics
import DNS01
import Metrics
import Prometheus

/// The challenge metrics, in the server's registry (so `/metrics` shows them); docs/metrics.md
/// describes each:
///
/// - `dns01_webhook_challenges_total{solver,action,outcome,provider}` (outcome: success, failure, timeout)
/// - `dns01_webhook_provider_call_duration_seconds{solver,action,outcome}`
/// - `dns01_webhook_provider_requests_total{provider,operation,outcome}` (outcome: success,
///   throttled, error) and `dns01_webhook_provider_request_duration_seconds{provider,operation}`:
///   every request a provider sends (each try), reported through `ProviderCallScope`.
public final class ChallengeMetrics: ProviderRequestRecorder, Sendable {
    private let factory: PrometheusMetricsFactory
    private let namespace: String
    private let metrics = MetricCache<Key, (CoreMetrics.Counter, Metrics.Timer)>()
    private let requestCounters = MetricCache<RequestKey, CoreMetrics.Counter>()
    private let requestTimers = MetricCache<[String], Metrics.Timer>()

    private struct Key: Hashable {
        var solver: String
        var action: String
        var outcome: String
        var provider: String
    }

    private struct RequestKey: Hashable {
        var provider: String
        var operation: String
        var outcome: ProviderRequestOutcome
    }

    /// - Parameter server: the server's metrics, whose registry and latency buckets these share.
    public init(server: ServerMetrics, namespace: String = "dns01_webhook") {
        self.factory = server.factory
        self.namespace = namespace
    }

    /// `provider` is the plugin the challenge was routed to; empty when routing failed.
    func challenge(solver: String, action: String, outcome: String, provider: String, providerDuration: Duration) {
        let key = Key(solver: solver, action: action, outcome: outcome, provider: provider)
        let (count, latency) = metrics.value(for: key) { [factory, namespace] in
            let dimensions = [("solver", solver), ("action", action), ("outcome", outcome)]
            return (
                CoreMetrics.Counter(label: "\(namespace)_challenges_total", dimensions: dimensions + [("provider", provider)], factory: factory),
                Metrics.Timer(label: "\(namespace)_provider_call_duration_seconds", dimensions: dimensions, factory: factory)
            )
        }
        count.increment()
        latency.record(duration: providerDuration)
    }

    public func providerRequest(provider: String, operation: String, outcome: ProviderRequestOutcome, duration: Duration) {
        requestCounters.value(for: RequestKey(provider: provider, operation: operation, outcome: outcome)) { [factory, namespace] in
            CoreMetrics.Counter(
                label: "\(namespace)_provider_requests_total",
                dimensions: [("provider", provider), ("operation", operation), ("outcome", outcome.rawValue)], factory: factory)
        }.increment()
        requestTimers.value(for: [provider, operation]) { [factory, namespace] in
            Metrics.Timer(label: "\(namespace)_provider_request_duration_seconds", dimensions: [("provider", provider), ("operation", operation)], factory: factory)
        }.record(duration: duration)
    }
}
