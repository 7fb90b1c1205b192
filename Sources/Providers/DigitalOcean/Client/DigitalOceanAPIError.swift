import Foundation
import ProviderKit

/// An error answer from the DigitalOcean API: HTTP status and the body's `id` and `message`
/// (`request_id` is left out on purpose: it changes on every request).
struct DigitalOceanAPIError: Error, Sendable, CustomStringConvertible {
    let operation: String
    let status: Int
    let id: String
    let message: String
    /// How long until the rate-limit window resets (`ratelimit-reset`, an epoch second): DigitalOcean
    /// sends no `Retry-After`.
    let retryAfter: Duration?

    init(operation: String, status: Int, id: String, message: String, retryAfter: Duration? = nil) {
        self.operation = operation
        self.status = status
        self.id = id
        self.message = message
        self.retryAfter = retryAfter
    }

    init(operation: String, response: APIResponse, nowEpochSeconds: Double) {
        struct Body: Decodable {
            var id: String?
            var message: String?
        }
        let body = try? JSONDecoder().decode(Body.self, from: Data(response.body))
        self.init(
            operation: operation,
            status: response.status,
            id: body?.id ?? "HTTP\(response.status)",
            message: body?.message ?? "",
            retryAfter: response.status == 429
                ? (RetryAfter.parse(response) ?? RetryAfter.untilEpoch(header: "ratelimit-reset", in: response, nowEpochSeconds: nowEpochSeconds))
                : nil
        )
    }

    var isRetryable: Bool { status == 429 || status >= 500 }

    var description: String { "\(operation): HTTP \(status) \(id)\(message.isEmpty ? "" : ": \(message)")" }
}

/// A 2xx answer whose body is not what the call returns.
struct DigitalOceanUnreadableResponse: Error, CustomStringConvertible {
    let operation: String
    var description: String { "\(operation): the answer is not the JSON this call returns" }
}
