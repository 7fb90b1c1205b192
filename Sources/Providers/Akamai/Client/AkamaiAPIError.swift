import Foundation
import ProviderKit

/// An error answer from Akamai: HTTP status and the problem+json body's `type`, `title` and
/// `detail` (its `requestId`, `requestTime` and `clientIp` change on every request and are
/// left out).
struct AkamaiAPIError: Error, Sendable, CustomStringConvertible {
    let operation: String
    let status: Int
    let type: String
    let title: String
    let detail: String
    let retryAfter: Duration?

    init(operation: String, status: Int, type: String = "", title: String = "", detail: String = "", retryAfter: Duration? = nil) {
        self.operation = operation
        self.status = status
        self.type = type
        self.title = title
        self.detail = detail
        self.retryAfter = retryAfter
    }

    init(operation: String, response: APIResponse, nowEpochSeconds: Double) {
        struct Problem: Decodable {
            var type: String?
            var title: String?
            var detail: String?
        }
        let problem = try? JSONDecoder().decode(Problem.self, from: Data(response.body))
        var retryAfter: Duration?
        if response.status == 429 {
            retryAfter = RetryAfter.parse(response) ?? Self.untilRateLimitNext(response, nowEpochSeconds: nowEpochSeconds)
        }
        self.init(
            operation: operation, status: response.status, type: problem?.type ?? "", title: problem?.title ?? "HTTP \(response.status)",
            detail: problem?.detail ?? "", retryAfter: retryAfter
        )
    }

    /// Akamai's documented rate-limit header: `X-RateLimit-Next`, the RFC 3339 time the next
    /// request is allowed.
    private static func untilRateLimitNext(_ response: APIResponse, nowEpochSeconds: Double) -> Duration? {
        guard let text = response.headers.first(where: { $0.name.lowercased() == "x-ratelimit-next" })?.value else { return nil }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        guard let date = formatter.date(from: text) ?? ISO8601DateFormatter().date(from: text) else { return nil }
        return .milliseconds(Int64((max(0, date.timeIntervalSince1970 - nowEpochSeconds) * 1000).rounded(.up)))
    }

    var isRetryable: Bool { status == 429 || status >= 500 }
    var isAuthentication: Bool { type.contains("/pep-authn/") }

    var summary: String { detail.isEmpty ? title : "\(title): \(detail)" }
    var description: String { "\(operation): HTTP \(status) \(summary)" }
}

/// A 2xx answer whose body is not what the call returns.
struct AkamaiUnreadableResponse: Error, CustomStringConvertible {
    let operation: String
    var description: String { "\(operation): the answer is not the JSON this call returns" }
}
