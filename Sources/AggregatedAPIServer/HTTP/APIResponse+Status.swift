import Foundation
import Kubernetes
import NIOCore
import NIOFoundationCompat
import NIOHTTP1

/// Responses the way Kubernetes clients read them: `application/json` bodies and `v1 Status`
/// for every error, so kubectl, the aggregator and cert-manager show the message.
extension APIResponse {
    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return encoder
    }()

    /// `value` as an `application/json` body.
    public static func json(_ value: some Encodable, status: HTTPResponseStatus = .ok) -> APIResponse {
        do {
            let data = try encoder.encode(value)
            return APIResponse(status: status, contentType: "application/json", body: ByteBuffer(data: data))
        } catch {
            return self.status(.internalServerError, reason: "InternalError", message: "cannot encode the response: \(error)")
        }
    }

    /// A `v1 Status` with `message`, which Kubernetes clients show as the error.
    public static func status(_ code: HTTPResponseStatus, reason: String, message: String, details: Status.Details? = nil) -> APIResponse {
        let body = Status(message: message, reason: reason, details: details, code: Int(code.code))
        guard let data = try? encoder.encode(body) else {
            return text(message, status: code)
        }
        return APIResponse(status: code, contentType: "application/json", body: ByteBuffer(data: data))
    }

    public static func text(_ text: String, status: HTTPResponseStatus = .ok, contentType: String = "text/plain; charset=utf-8") -> APIResponse {
        APIResponse(status: status, contentType: contentType, body: ByteBuffer(string: text))
    }

    /// The answer to a body over the server's limit. The connection is closed after it: the
    /// rest of the body is not worth reading.
    static func tooLarge(limit: Int) -> APIResponse {
        status(.payloadTooLarge, reason: "RequestEntityTooLarge", message: "the request body is larger than the limit of \(limit) bytes")
    }

    static let unauthorized = status(.unauthorized, reason: "Unauthorized", message: "Unauthorized")
}
