import Foundation
import ProviderKit

/// An error answer from Huawei Cloud: the DNS service's `{"code", "message"}` or the API
/// gateway's `{"error_code", "error_msg", "request_id"}`, with the HTTP status.
struct HuaweiAPIError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The operation, as the SDK names it (`CreateRecordSet`).
    let operation: String
    let httpStatus: Int
    let code: String
    let message: String
    /// For logs only: it changes on every request, so it never goes into a user's message.
    let requestId: String?

    init(operation: String, httpStatus: Int, code: String, message: String, requestId: String?) {
        self.operation = operation
        self.httpStatus = httpStatus
        self.code = code
        self.message = message
        self.requestId = requestId
    }

    init(operation: String, response: APIResponse) {
        struct Body: Decodable {
            var code: String?
            var message: String?
            var errorCode: String?
            var errorMessage: String?
            var requestId: String?
            enum CodingKeys: String, CodingKey {
                case code, message
                case errorCode = "error_code"
                case errorMessage = "error_msg"
                case requestId = "request_id"
            }
        }
        let body = try? JSONDecoder().decode(Body.self, from: Data(response.body))
        self.init(
            operation: operation,
            httpStatus: response.status,
            code: body?.code ?? body?.errorCode ?? "HTTP\(response.status)",
            message: body?.message ?? body?.errorMessage ?? "",
            requestId: body?.requestId ?? response.headers.first { $0.name.lowercased() == "x-request-id" }?.value
        )
    }

    /// Throttling or a server-side failure: the same call, signed afresh, may well succeed.
    var isTransient: Bool { isThrottling || httpStatus >= 500 }

    var isThrottling: Bool { httpStatus == 429 || code == "APIGW.0308" }

    var description: String { "\(operation): HTTP \(httpStatus) \(code): \(message)" }
}

/// A success answer whose body is not what the operation returns.
struct HuaweiResponseDecodingError: Error, CustomStringConvertible {
    let operation: String
    let detail: String
    var description: String { "\(operation): unexpected response from the API (\(detail))" }
}
