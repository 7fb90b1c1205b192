import Foundation
import ProviderKit

/// An error answer from an Alibaba Cloud RPC API: HTTP status plus the body's `Code`,
/// `Message` and `RequestId` (JSON, or XML when the service ignored `Format=JSON`).
struct AliAPIError: Error, Sendable, Hashable, CustomStringConvertible {
    let action: String
    let httpStatus: Int
    let code: String
    let message: String
    /// For logs only: it changes on every request, so it never goes into a user's message.
    let requestId: String?

    init(action: String, httpStatus: Int, code: String, message: String, requestId: String?) {
        self.action = action
        self.httpStatus = httpStatus
        self.code = code
        self.message = message
        self.requestId = requestId
    }

    init(action: String, response: APIResponse) {
        struct Body: Decodable {
            var code: String?
            var message: String?
            var requestId: String?
            enum CodingKeys: String, CodingKey {
                case code = "Code"
                case message = "Message"
                case requestId = "RequestId"
            }
        }
        let body = try? JSONDecoder().decode(Body.self, from: Data(response.body))
        let text = response.bodyText
        self.init(
            action: action,
            httpStatus: response.status,
            code: body?.code ?? Self.xmlElement("Code", in: text) ?? "HTTP\(response.status)",
            message: body?.message ?? Self.xmlElement("Message", in: text) ?? "",
            requestId: body?.requestId ?? Self.xmlElement("RequestId", in: text)
        )
    }

    /// Throttling, a server-side failure, or a nonce collision: the same call, signed afresh,
    /// may well succeed.
    var isTransient: Bool {
        code.hasPrefix("Throttling") || httpStatus >= 500 || code == "ServiceUnavailable" || code == "SignatureNonceUsed"
    }

    var isThrottling: Bool { code.hasPrefix("Throttling") }

    /// The temporary keys in use are no longer accepted (fresh STS keys would be).
    var meansTemporaryKeysExpired: Bool {
        code == "InvalidSecurityToken.Expired" || code == "InvalidAccessKeyId.NotFound"
    }

    var description: String { "\(action): HTTP \(httpStatus) \(code): \(message)" }

    private static func xmlElement(_ name: String, in text: String) -> String? {
        guard let open = text.range(of: "<\(name)>"), let close = text.range(of: "</\(name)>", range: open.upperBound..<text.endIndex) else { return nil }
        return String(text[open.upperBound..<close.lowerBound])
    }
}

/// A 200 answer whose body is not what the action returns.
struct AliResponseDecodingError: Error, CustomStringConvertible {
    let action: String
    let detail: String
    var description: String { "\(action): unexpected response from the API (\(detail))" }
}
