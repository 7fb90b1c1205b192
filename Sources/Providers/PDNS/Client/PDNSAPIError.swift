import Foundation
import ProviderKit

/// An error answer of the PowerDNS API: the HTTP status and the body's `error` text
/// (`{"error": "Changetype not understood"}`).
struct PDNSAPIError: Error, Sendable, Hashable, CustomStringConvertible {
    let operation: String
    let status: Int
    let message: String

    init(operation: String, status: Int, message: String) {
        self.operation = operation
        self.status = status
        self.message = message
    }

    init(operation: String, response: APIResponse) {
        struct Body: Decodable { var error: String? }
        let parsed = (try? JSONDecoder().decode(Body.self, from: Data(response.body)))?.error
        // Proxies in front of the API answer with text or HTML: keep a short first line.
        let text = parsed ?? response.bodyText.split(whereSeparator: \.isNewline).first.map { String($0.prefix(200)) } ?? ""
        self.init(operation: operation, status: response.status, message: text.trimmingWhitespace())
    }

    /// Throttling (a proxy's) or a server-side failure: the same call may succeed later.
    var isTransient: Bool { status == 429 || status == 502 || status == 503 || status == 504 }

    /// The server does not know `EXTEND`/`PRUNE` (before 4.9.12 and 5.0.2).
    var refusesChangetype: Bool { status == 422 && message.contains("Changetype not understood") }

    var description: String { "\(operation): HTTP \(status): \(message)" }
}

/// A 2xx answer whose body is not what the call returns.
struct PDNSResponseDecodingError: Error, Sendable, CustomStringConvertible {
    let operation: String
    var description: String { "\(operation): unexpected response from the API" }
}
