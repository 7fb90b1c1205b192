import NIOCore
import NIOHTTP1

/// One whole response: status, headers and body. `Content-Length` is added when it is written.
public struct APIResponse: Sendable {
    public var status: HTTPResponseStatus
    public var headers: HTTPHeaders
    public var body: ByteBuffer

    public init(status: HTTPResponseStatus, contentType: String, body: ByteBuffer) {
        self.status = status
        self.headers = ["Content-Type": contentType]
        self.body = body
    }

    /// The status code as a number (for metrics and logs).
    public var code: Int { Int(status.code) }
}
