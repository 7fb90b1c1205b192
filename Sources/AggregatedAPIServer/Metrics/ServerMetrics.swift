import CoreMetrics
import Foundation
import Metrics
import Prometheus

/// The server's Prometheus metrics, recorded through swift-metrics with an explicit factory
/// (no global bootstrap, so tests and embedders each get their own registry). Every name
/// starts with `namespace` (`dns01_webhook` below):
///
/// - `dns01_webhook_http_requests_total{endpoint,code}` and `dns01_webhook_http_request_duration_seconds{endpoint}`
///   (`endpoint`: `healthz`, `livez`, `readyz`, `version`, `metrics`, `discovery`, a
///   resource's noun such as `solver`, or `unknown`)
/// - `dns01_webhook_http_requests_in_flight`
/// - `dns01_webhook_authentication_failures_total{reason}` (anonymous, rejected)
/// - `dns01_webhook_authorization_denials_total{kind}` (resource, nonresource)
/// - `dns01_webhook_serving_certificate_expiry_timestamp_seconds`: alert on
///   `(dns01_webhook_serving_certificate_expiry_timestamp_seconds - time()) / 86400 < 20`
///
/// Resources record their own metrics in the same registry through `factory`, and `/metrics`
/// shows them too.
public final class ServerMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry
    /// Makes metrics in `registry`, with the server's latency buckets for timers.
    public let factory: PrometheusMetricsFactory
    private let namespace: String
    private let inFlight: CoreMetrics.Meter
    private let certificateExpiry: CoreMetrics.Gauge
    /// Metric objects by their label values, made on first use: making one costs a registry
    /// lookup and name sanitising, and the request path records several per request.
    private let requestMetrics = MetricCache<RequestKey, (CoreMetrics.Counter, Metrics.Timer)>()
    private let failureCounters = MetricCache<[String], CoreMetrics.Counter>()

    private struct RequestKey: Hashable { var endpoint: String; var code: Int }

    /// Latency buckets from 1 ms to 60 s, for a server whose slowest answers wait on a remote API.
    public static let latencyBuckets: [Duration] = [
        .milliseconds(1), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
        .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2), .seconds(5), .seconds(10), .seconds(30), .seconds(60),
    ]

    /// - Parameter namespace: the prefix of every metric name (`dns01_webhook`).
    public init(namespace: String, registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
        self.namespace = namespace
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = Self.latencyBuckets
        self.factory = factory
        self.inFlight = CoreMetrics.Meter(label: "\(namespace)_http_requests_in_flight", factory: factory)
        self.certificateExpiry = CoreMetrics.Gauge(label: "\(namespace)_serving_certificate_expiry_timestamp_seconds", factory: factory)
    }

    func requestStarted() { inFlight.increment() }

    func requestFinished(endpoint: String, code: Int, duration: Duration) {
        inFlight.decrement()
        let (count, latency) = requestMetrics.value(for: RequestKey(endpoint: endpoint, code: code)) { [factory, namespace] in
            (CoreMetrics.Counter(label: "\(namespace)_http_requests_total", dimensions: [("endpoint", endpoint), ("code", String(code))], factory: factory),
             Metrics.Timer(label: "\(namespace)_http_request_duration_seconds", dimensions: [("endpoint", endpoint)], factory: factory))
        }
        count.increment()
        latency.recordNanoseconds(duration.nanoseconds)
    }

    func authenticationFailed(reason: String) {
        failureCounter("authentication_failures_total", "reason", reason).increment()
    }

    func authorizationDenied(kind: String) {
        failureCounter("authorization_denials_total", "kind", kind).increment()
    }

    func servingCertificateLoaded(notAfter: Date) {
        certificateExpiry.record(notAfter.timeIntervalSince1970.rounded())
    }

    private func failureCounter(_ name: String, _ dimension: String, _ value: String) -> CoreMetrics.Counter {
        failureCounters.value(for: [name, value]) { [factory, namespace] in
            CoreMetrics.Counter(label: "\(namespace)_\(name)", dimensions: [(dimension, value)], factory: factory)
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
