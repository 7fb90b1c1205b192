import Foundation
import ProviderKit

/// An error answer of the Hetzner Cloud API: `{"error": {"code", "message", "details"}}` and the
/// HTTP status.
struct HetznerAPIError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What was being done (`add_records`, `list zones`), for messages.
    let operation: String
    let status: Int
    let code: String
    let message: String

    init(operation: String, status: Int, code: String, message: String) {
        self.operation = operation
        self.status = status
        self.code = code
        self.message = message
    }

    init(operation: String, response: APIResponse) {
        struct Body: Decodable {
            struct Inner: Decodable {
                var code: String?
                var message: String?
            }
            var error: Inner?
        }
        let body = try? JSONDecoder().decode(Body.self, from: Data(response.body))
        self.init(
            operation: operation,
            status: response.status,
            code: body?.error?.code ?? "HTTP \(response.status)",
            message: body?.error?.message ?? ""
        )
    }

    /// Throttling or a server-side failure: the same call may succeed later.
    var isTransient: Bool {
        status == 429 || code == "rate_limit_exceeded" || status >= 500 || code == "server_error" || code == "unavailable" || code == "timeout"
    }

    var description: String { "\(operation): HTTP \(status) \(code): \(message)" }
}

/// An action (`add_rrset_records`…) that ended in `status: error`.
struct HetznerActionError: Error, Sendable, Hashable, CustomStringConvertible {
    let command: String
    let code: String
    let message: String

    var description: String { "action \(command) failed: \(code): \(message)" }
}

/// A 2xx answer whose body is not what the call returns.
struct HetznerResponseDecodingError: Error, Sendable, CustomStringConvertible {
    let operation: String
    var description: String { "\(operation): unexpected response from the API" }
}
