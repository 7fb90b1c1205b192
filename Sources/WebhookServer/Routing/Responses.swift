import Foundation
import HTTPTypes
import HummingbirdCore
import NIOCore
import Kubernetes
import NIOFoundationCompat

/// Building responses the way Kubernetes clients read them: `application/json` bodies and
/// `v1 Status` for every error, so kubectl, the aggregator and cert-manager show the message.
enum Responses {
    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return encoder
    }()

    static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok) -> Response {
        do {
            let data = try encoder.encode(value)
            return Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(data: data)))
        } catch {
            return self.status(.internalServerError, reason: "InternalError", message: "cannot encode the response: \(error)")
        }
    }

    static func status(_ code: HTTPResponse.Status, reason: String, message: String, details: Status.Details? = nil) -> Response {
        let body = Status(message: message, reason: reason, details: details, code: code.code)
        guard let data = try? encoder.encode(body) else {
            return Response(status: code, headers: [.contentType: "text/plain; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: message)))
        }
        return Response(status: code, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(data: data)))
    }

    static func text(_ text: String, status: HTTPResponse.Status = .ok, contentType: String = "text/plain; charset=utf-8") -> Response {
        Response(status: status, headers: [.contentType: contentType], body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    static let unauthorized = status(.unauthorized, reason: "Unauthorized", message: "Unauthorized")
}
