import CoreMetrics
import Foundation
import Metrics
import Prometheus
import Synchronization

/// The server's Prometheus metrics, recorded through swift-metrics with an explicit factory
/// (no global bootstrap, so tests and embedders each get their own registry).
///
/// - `dns01_webhook_http_requests_total{endpoint,code}` and `dns01_webhook_http_request_duration_seconds{endpoint}`
/// - `dns01_webhook_http_requests_in_flight`
/// - `dns01_webhook_challenges_total{solver,action,outcome}` (outcome: success, failure, timeout)
/// - `dns01_webhook_provider_call_duration_seconds{solver,action,outcome}`
/// - `dns01_webhook_authentication_failures_total{reason}` (anonymous, rejected)
/// - `dns01_webhook_authorization_denials_total{kind}` (resource, nonresource)
/// - `dns01_webhook_serving_certificate_expiry_timestamp_seconds`: alert on
///   `(dns01_webhook_serving_certificate_expiry_timestamp_seconds - time()) / 86400 < 20`
public final class WebhookMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry
    private let factory: PrometheusMetricsFactory
    private let inFlight: CoreMetrics.Meter
    private let certificateExpiry: CoreMetrics.Gauge
    /// Metric objects by their label values, made on first use: making one costs a registry
    /// lookup and name sanitising, and the request path records several per request.
    private let requestMetrics = MetricCache<RequestKey, (CoreMetrics.Counter, Metrics.Timer)>()
    private let challengeMetrics = MetricCache<ChallengeKey, (CoreMetrics.Counter, Metrics.Timer)>()
    private let failureCounters = MetricCache<[String], CoreMetrics.Counter>()

    private struct RequestKey: Hashable { var endpoint: String; var code: Int }
    private struct ChallengeKey: Hashable { var solver: String; var action: String; var outcome: String }

    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
        var factory = PrometheusMetricsFactory(registry: registry)
        let latencyBuckets: [Duration] = [.milliseconds(1), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
                                          .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2), .seconds(5), .seconds(10), .seconds(30), .seconds(60)]
        factory.defaultDurationHistogramBuckets = latencyBuckets
        self.factory = factory
        self.inFlight = CoreMetrics.Meter(label: "dns01_webhook_http_requests_in_flight", factory: factory)
        self.certificateExpiry = CoreMetrics.Gauge(label: "dns01_webhook_serving_certificate_expiry_timestamp_seconds", factory: factory)
    }

    func requestStarted() { inFlight.increment() }

    func requestFinished(endpoint: String, code: Int, duration: Duration) {
        inFlight.decrement()
        let (count, latency) = requestMetrics.value(for: RequestKey(endpoint: endpoint, code: code)) { [factory] in
            (CoreMetrics.Counter(label: "dns01_webhook_http_requests_total", dimensions: [("endpoint", endpoint), ("code", String(code))], factory: factory),
             Metrics.Timer(label: "dns01_webhook_http_request_duration_seconds", dimensions: [("endpoint", endpoint)], factory: factory))
        }
        count.increment()
        latency.recordNanoseconds(duration.nanoseconds)
    }

    func challenge(solver: String, action: String, outcome: String, providerDuration: Duration) {
        let (count, latency) = challengeMetrics.value(for: ChallengeKey(solver: solver, action: action, outcome: outcome)) { [factory] in
            let dimensions = [("solver", solver), ("action", action), ("outcome", outcome)]
            return (CoreMetrics.Counter(label: "dns01_webhook_challenges_total", dimensions: dimensions, factory: factory),
                    Metrics.Timer(label: "dns01_webhook_provider_call_duration_seconds", dimensions: dimensions, factory: factory))
        }
        count.increment()
        latency.recordNanoseconds(providerDuration.nanoseconds)
    }

    func authenticationFailed(reason: String) {
        failureCounter("dns01_webhook_authentication_failures_total", "reason", reason).increment()
    }

    func authorizationDenied(kind: String) {
        failureCounter("dns01_webhook_authorization_denials_total", "kind", kind).increment()
    }

    func servingCertificateLoaded(notAfter: Date) {
        certificateExpiry.record(notAfter.timeIntervalSince1970.rounded())
    }

    private func failureCounter(_ label: String, _ dimension: String, _ value: String) -> CoreMetrics.Counter {
        failureCounters.value(for: [label, value]) { [factory] in
            CoreMetrics.Counter(label: label, dimensions: [(dimension, value)], factory: factory)
        }
    }

    /// The exposition text for `/metrics`.
    func exposition() -> [UInt8] { registry.emitToBuffer() }
}

extension Duration {
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds &* 1_000_000_000 &+ attoseconds / 1_000_000_000
    }
}

/// Made-once metric objects by key.
private final class MetricCache<Key: Hashable & Sendable, Value>: @unchecked Sendable {
    // @unchecked: `Value` is a metric object (or a tuple of them), which is thread-safe;
    // the dictionary is only touched under the lock.
    private let values = Mutex<[Key: Value]>([:])

    func value(for key: Key, make: () -> Value) -> Value {
        values.withLock { values in
            if let existing = values[key] { return existing }
            let made = make()
            values[key] = made
            return made
        }
    }
}
