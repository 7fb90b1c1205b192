import Foundation
import ProviderKit

/// An error answer from the Cloudflare API: HTTP status and the envelope's `errors` (codes,
/// messages, error chains). Cloudflare's own HTML pages (a 502 from its edge) have no
/// envelope; they keep only the status.
struct CloudflareAPIError: Error, Sendable, CustomStringConvertible {
    /// What was being done, as messages say it ("list the zones").
    let operation: String
    let status: Int
    let errors: [CloudflareMessage]
    /// `Retry-After`, when Cloudflare sent one (with its 429).
    let retryAfter: Duration?

    init(operation: String, status: Int, errors: [CloudflareMessage], retryAfter: Duration? = nil) {
        self.operation = operation
        self.status = status
        self.errors = errors
        self.retryAfter = retryAfter
    }

    init(operation: String, response: APIResponse) {
        let envelope = try? JSONDecoder().decode(CloudflareEnvelope<CloudflareIgnored>.self, from: Data(response.body))
        self.init(
            operation: operation,
            status: response.status,
            errors: envelope?.errors ?? [],
            retryAfter: response.status == 429 ? RetryAfter.parse(response) : nil
        )
    }

    /// Every code, those of the error chains included.
    var codes: [Int] {
        errors.flatMap { [$0.code] + ($0.errorChain ?? []).map(\.code) }
    }

    func has(_ code: Int) -> Bool { codes.contains(code) }

    /// Rate limiting (429, code 971) or a failure on Cloudflare's side: a later attempt may work.
    var isRetryable: Bool { status == 429 || status >= 500 || has(971) }

    /// `81057`/`81058`: the record being created exists already.
    var meansRecordExists: Bool { has(81057) || has(81058) }

    /// `81044` (404): the record being deleted is gone already.
    var meansRecordMissing: Bool { has(81044) }

    /// The codes and messages as `9109 Invalid access token; …`; the most precise entry (the
    /// error chain) first.
    var summary: String {
        let entries = errors.flatMap { ($0.errorChain ?? []) + [$0] }
        guard !entries.isEmpty else { return "HTTP \(status)" }
        var seen: Set<Int> = []
        return entries.filter { seen.insert($0.code).inserted }.map { "\($0.code) \($0.message)" }.joined(separator: "; ")
    }

    var description: String { "\(operation): \(summary)" }
}

/// A `result` this provider does not read.
struct CloudflareIgnored: Decodable, Sendable {
    init(from decoder: any Decoder) throws {}
}
