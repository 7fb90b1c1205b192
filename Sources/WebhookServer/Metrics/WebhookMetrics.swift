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
    /// Metric objects by name and label values: creating one per request costs a registry
    /// lookup and name sanitising, several times a request.
    private let counters = Mutex<[[String]: CoreMetrics.Counter]>([:])
    private let timers = Mutex<[[String]: Metrics.Timer]>([:])

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
        counter("dns01_webhook_http_requests_total", [("endpoint", endpoint), ("code", String(code))]).increment()
        timer("dns01_webhook_http_request_duration_seconds", [("endpoint", endpoint)]).recordNanoseconds(duration.nanoseconds)
    }

    func challenge(solver: String, action: String, outcome: String, providerDuration: Duration) {
        let dimensions = [("solver", solver), ("action", action), ("outcome", outcome)]
        counter("dns01_webhook_challenges_total", dimensions).increment()
        timer("dns01_webhook_provider_call_duration_seconds", dimensions).recordNanoseconds(providerDuration.nanoseconds)
    }

    func authenticationFailed(reason: String) {
        counter("dns01_webhook_authentication_failures_total", [("reason", reason)]).increment()
    }

    func authorizationDenied(kind: String) {
        counter("dns01_webhook_authorization_denials_total", [("kind", kind)]).increment()
    }

    func servingCertificateLoaded(notAfter: Date) {
        certificateExpiry.record(notAfter.timeIntervalSince1970.rounded())
    }

    private func counter(_ label: String, _ dimensions: [(String, String)]) -> CoreMetrics.Counter {
        let key = [label] + dimensions.map(\.1)
        return counters.withLock { counters in
            if let existing = counters[key] { return existing }
            let made = CoreMetrics.Counter(label: label, dimensions: dimensions, factory: factory)
            counters[key] = made
            return made
        }
    }

    private func timer(_ label: String, _ dimensions: [(String, String)]) -> Metrics.Timer {
        let key = [label] + dimensions.map(\.1)
        return timers.withLock { timers in
            if let existing = timers[key] { return existing }
            let made = Metrics.Timer(label: label, dimensions: dimensions, factory: factory)
            timers[key] = made
            return made
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
