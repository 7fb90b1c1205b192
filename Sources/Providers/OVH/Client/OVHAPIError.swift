import Foundation
import ProviderKit

/// An error answer of the OVH API: the HTTP status and the body's `class`
/// (`Client::NotFound`), `errorCode` (`INVALID_SIGNATURE`, on authentication failures) and
/// `message`.
struct OVHAPIError: Error, Sendable, Hashable, CustomStringConvertible {
    let operation: String
    let status: Int
    let errorClass: String
    let errorCode: String?
    let message: String

    init(operation: String, status: Int, errorClass: String, errorCode: String?, message: String) {
        self.operation = operation
        self.status = status
        self.errorClass = errorClass
        self.errorCode = errorCode
        self.message = message
    }

    init(operation: String, response: APIResponse) {
        struct Body: Decodable {
            var `class`: String?
            var errorCode: String?
            var message: String?
        }
        let body = try? JSONDecoder().decode(Body.self, from: Data(response.body))
        self.init(operation: operation, status: response.status, errorClass: body?.class ?? "HTTP \(response.status)", errorCode: body?.errorCode, message: body?.message ?? "")
    }

    /// Throttling or a server-side failure: the same call may succeed later.
    var isTransient: Bool { status == 429 || status >= 500 }

    /// The request's timestamp was outside the server's window: the clock offset is stale.
    var isClockSkew: Bool { errorCode == "QUERY_TIME_OUT" }

    /// The bearer token is no longer accepted (a fresh one may be).
    var isExpiredToken: Bool { status == 401 && errorCode == "INVALID_CREDENTIAL" }

    /// The identifying code: `errorCode` when there is one, else the class.
    var code: String { errorCode ?? errorClass }

    var description: String { "\(operation): HTTP \(status) \(code): \(message)" }
}

/// A 2xx answer whose body is not what the call returns.
struct OVHResponseDecodingError: Error, Sendable, CustomStringConvertible {
    let operation: String
    var description: String { "\(operation): unexpected response from the API" }
}

/// The OAuth2 token endpoint refused the client or failed (429 and 5xx are retried).
struct OVHTokenError: Error, Sendable, CustomStringConvertible {
    let status: Int
    /// OAuth2's `error` (`invalid_client`).
    let code: String
    var description: String { "OAuth2 token: HTTP \(status) \(code)" }
}

/// One attempt failed in a way the next attempt fixes by itself (a fresh clock offset or
/// token); retried at once.
struct OVHRetryAfterRefresh: Error, Sendable, CustomStringConvertible {
    let underlying: OVHAPIError
    var description: String { underlying.description }
}
