import Foundation
import ProviderKit

/// An error answer from Azure Resource Manager: the HTTP status and ARM's `{error: {code,
/// message}}`.
struct ARMError: Error, Sendable {
    /// What was being done, as messages say it ("read the TXT record set …").
    let operation: String
    let status: Int
    let code: String?
    let message: String?
    /// `Retry-After`, when ARM sent one (with its 429).
    let retryAfter: Duration?

    init(operation: String, response: APIResponse) {
        self.operation = operation
        self.status = response.status
        let envelope = try? JSONDecoder().decode(ARMErrorEnvelope.self, from: Data(response.body))
        self.code = envelope?.error?.code
        self.message = envelope?.error?.message.map(AzureTokenError.stable)
        self.retryAfter = response.status == 429 ? RetryAfter.parse(response) : nil
    }

    /// Throttling or a failure on Azure's side: a later attempt may work.
    var isRetryable: Bool { status == 429 || status >= 500 }

    /// The ETag precondition did not hold: another writer changed the record set.
    var isPreconditionFailed: Bool { status == 412 }

    /// The token was refused (expired, revoked, wrong audience).
    var isUnauthenticated: Bool { status == 401 }

    var summary: String {
        let what = [code, message].compactMap { $0 }.joined(separator: ": ")
        return what.isEmpty ? "HTTP \(status)" : "HTTP \(status) \(what)"
    }
}

private struct ARMErrorEnvelope: Decodable {
    struct Detail: Decodable {
        var code: String?
        var message: String?
    }
    var error: Detail?
}

/// A 2xx answer whose body is not what Resource Manager sends.
struct ARMUnreadableResponse: Error, Sendable {
    let operation: String
}
