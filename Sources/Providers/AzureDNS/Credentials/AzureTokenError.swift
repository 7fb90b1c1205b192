import ProviderKit

/// A token request that Entra ID or the instance metadata service refused: the HTTP status and
/// the OAuth 2.0 error (Entra's `AADSTS…` description, without the trace and correlation ids
/// and the timestamp it appends, so the message is the same on every retry).
struct AzureTokenError: Error, Sendable {
    enum Service: Sendable {
        case entra
        case instanceMetadata
    }

    let service: Service
    let status: Int
    let error: String?
    let description: String?
    let retryAfter: Duration?

    init(service: Service, response: APIResponse) {
        self.service = service
        self.status = response.status
        let decoded = OAuth2ErrorResponse.decode(response.body)
        self.error = decoded?.error
        self.description = decoded?.errorDescription.map(Self.stable)
        self.retryAfter = response.status == 429 ? RetryAfter.parse(response) : nil
    }

    /// `AADSTS7000215`, when the description starts with one.
    var entraCode: String? {
        guard let description, description.hasPrefix("AADSTS") else { return nil }
        return String(description.prefix { $0 != ":" })
    }

    /// Throttling or a failure on the service's side: a later attempt may work.
    var isRetryable: Bool { status == 429 || status >= 500 }

    /// The description up to Entra's first trace line.
    static func stable(_ text: String) -> String {
        var result = Substring(text)
        for marker in ["\r\n", "\n", " Trace ID:", " Correlation ID:", " Timestamp:"] {
            if let range = result.range(of: marker) { result = result[..<range.lowerBound] }
        }
        return String(result).trimmingWhitespace()
    }

    var summary: String {
        let what = [error, description].compactMap { $0 }.joined(separator: ": ")
        return what.isEmpty ? "HTTP \(status)" : "HTTP \(status) \(what)"
    }
}
