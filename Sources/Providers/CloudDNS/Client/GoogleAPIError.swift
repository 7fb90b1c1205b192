import DNS01
import Foundation
import ProviderKit

/// An error answer of a Google API: `{"error": {"code", "message", "status", "errors":
/// [{"reason", "message", "domain"}]}}`.
struct GoogleAPIError: Error, Sendable, CustomStringConvertible {
    /// What was being done ("list the managed zones").
    let operation: String
    let status: Int
    /// `conditionNotMet`, `alreadyExists`, `rateLimitExceeded`…
    let reason: String?
    /// `FAILED_PRECONDITION`, `PERMISSION_DENIED`…
    let statusName: String?
    let message: String?
    let retryAfter: Duration?

    init(operation: String, response: APIResponse) {
        self.operation = operation
        status = response.status
        retryAfter = response.status == 429 ? RetryAfter.parse(response) : nil
        let error = (GoogleCredentialJSON.object(response.body)?["error"]) as? [String: Any]
        let first = (error?["errors"] as? [[String: Any]])?.first
        reason = first?["reason"] as? String
        statusName = error?["status"] as? String
        message = (error?["message"] as? String) ?? (first?["message"] as? String)
    }

    /// Throttling or a failure on Google's side: a later attempt may work.
    var isRetryable: Bool { status == 429 || status >= 500 || reason == "rateLimitExceeded" || reason == "userRateLimitExceeded" }

    /// A change lost a race: its deletion no longer matches the set (412 `conditionNotMet`, or
    /// 404 when the set is gone), or its addition's set was created meanwhile (409
    /// `alreadyExists`). Re-reading the set and trying again resolves it.
    var isConflict: Bool { status == 412 || status == 409 || (status == 404 && message?.contains("entity.change") == true) }

    var summary: String {
        var text = "HTTP \(status)"
        if let reason { text += " \(reason)" } else if let statusName { text += " \(statusName)" }
        if let message, !message.isEmpty { text += ": \(message.prefix(300))" }
        return text
    }

    var description: String { "\(operation): \(summary)" }
}
