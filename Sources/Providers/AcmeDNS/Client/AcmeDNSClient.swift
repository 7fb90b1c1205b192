import DNS01
import Foundation
import Logging
import ProviderKit

/// acme-dns's one write call, `POST <host>/update` with `X-Api-User`/`X-Api-Key` and
/// `{"subdomain", "txt"}`, retried on throttling from a fronting proxy (after its
/// `Retry-After`), 5xx and network failures. acme-dns has no read and no delete.
struct AcmeDNSClient: Sendable {
    let host: BaseURL
    let transport: any HTTPTransport
    let retryPolicy: RetryPolicy
    let requestTimeout: Duration
    let logger: Logger

    private struct UpdateBody: Encodable {
        var subdomain: String
        var txt: String
    }

    func update(_ account: AcmeDNSAccount, value: String) async throws {
        let body = try JSONEncoder().encode(UpdateBody(subdomain: account.subdomain, txt: value))
        let request = APIRequest(
            method: "POST", url: host.url("/update"),
            headers: [
                .init("X-Api-User", account.username),
                .init("X-Api-Key", account.password.text),
                .init("Content-Type", "application/json"),
                .init("Accept", "application/json"),
                .init("User-Agent", "dns01-webhook"),
            ], body: Array(body))
        try await retryPolicy.run(shouldRetry: Self.shouldRetry, serverDelay: Self.serverDelay) { attempt in
            let response = try await ProviderRequests.send(request, through: transport, timeout: requestTimeout, operation: "POST /update")
            guard response.status == 200 else {
                let error = AcmeDNSAPIError(response: response)
                logger.debug("acme-dns update refused", metadata: ["status": "\(response.status)", "error": "\(error.code)", "attempt": "\(attempt)"])
                throw error
            }
        }
    }

    /// How long the server asked us to wait, when it said.
    static func serverDelay(_ error: any Error) -> Duration? { (error as? AcmeDNSAPIError)?.retryAfter }

    private static let shouldRetry: @Sendable (any Error) -> Bool = { error in
        switch error {
        case let error as AcmeDNSAPIError: error.status == 429 || error.status >= 500
        case let error as TransportError: error.isTransient
        default: false
        }
    }
}

/// A refused update: the status and acme-dns's `{"error": "…"}` code (`forbidden`,
/// `bad_txt`, `bad_subdomain`, `db_error`), or the status alone for a proxy's answer.
struct AcmeDNSAPIError: Error, Sendable, CustomStringConvertible {
    let status: Int
    let code: String
    let retryAfter: Duration?

    init(status: Int, code: String, retryAfter: Duration? = nil) {
        self.status = status
        self.code = code
        self.retryAfter = retryAfter
    }

    init(response: APIResponse) {
        struct Body: Decodable { var error: String? }
        let code = (try? JSONDecoder().decode(Body.self, from: Data(response.body)))?.error
        self.init(status: response.status, code: code ?? "", retryAfter: response.status == 429 ? RetryAfter.parse(response) : nil)
    }

    var description: String { "HTTP \(status)\(code.isEmpty ? "" : " \(code)")" }
}
