import Foundation
import ProviderKit

/// An error answer of LiveDNS: the HTTP status and the body's `message` (and, for 400, the
/// `errors` descriptions). Gandi's bodies are `{"code", "message", "object", "cause"}`; older
/// answers have only `message`.
struct GandiAPIError: Error, Sendable, Hashable, CustomStringConvertible {
    let operation: String
    let status: Int
    let message: String

    init(operation: String, status: Int, message: String) {
        self.operation = operation
        self.status = status
        self.message = message
    }

    init(operation: String, response: APIResponse) {
        struct Body: Decodable {
            struct Detail: Decodable {
                var name: String?
                var description: String?
            }
            var message: String?
            var errors: [Detail]?
        }
        let body = try? JSONDecoder().decode(Body.self, from: Data(response.body))
        var message = body?.message ?? ""
        let details = (body?.errors ?? []).compactMap { detail -> String? in
            guard let description = detail.description else { return nil }
            return detail.name.map { "\($0): \(description)" } ?? description
        }
        if !details.isEmpty { message += (message.isEmpty ? "" : " ") + "(" + details.joined(separator: "; ") + ")" }
        self.init(operation: operation, status: response.status, message: message)
    }

    var isTransient: Bool { status == 429 || status >= 500 }

    var description: String { "\(operation): HTTP \(status): \(message)" }
}

/// A 2xx answer whose body is not what the call returns.
struct GandiResponseDecodingError: Error, Sendable, CustomStringConvertible {
    let operation: String
    var description: String { "\(operation): unexpected response from the API" }
}
