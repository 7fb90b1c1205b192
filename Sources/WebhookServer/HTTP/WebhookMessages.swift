import NIOCore
import NIOHTTP1

/// One whole request as the responder sees it: SwiftNIO's parsed head, the body gathered up
/// to the server's limit, and the TLS peer of its connection.
struct WebhookRequest: Sendable {
    var head: HTTPRequestHead
    var body: ByteBuffer
    /// The client of this request's connection (its certificates); `nil` outside a server.
    var peer: TLSPeer?
    /// The body passed the server's limit; `body` is empty and the answer is 413.
    var bodyTooLarge = false

    var method: HTTPMethod { head.method }
    var headers: HTTPHeaders { head.headers }

    /// The path, without the query; `/` for an empty one. Absolute-form targets
    /// (`https://host/path`) are reduced to their path.
    var path: String {
        var target = Substring(head.uri)
        if !target.hasPrefix("/"), let scheme = target.range(of: "://") {
            target = target[scheme.upperBound...]
            target = target.firstIndex(of: "/").map { target[$0...] } ?? "/"
        }
        if let query = target.firstIndex(of: "?") { target = target[..<query] }
        return target.isEmpty ? "/" : String(target)
    }

    /// Whether the query has `name` as a key (`?verbose`, `?verbose=1`).
    func hasQueryItem(_ name: String) -> Bool {
        guard let start = head.uri.firstIndex(of: "?") else { return false }
        return head.uri[head.uri.index(after: start)...].split(separator: "&").contains { item in
            item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).first.map { $0 == name } ?? false
        }
    }
}

/// One whole response: status, headers and body. `Content-Length` is added when it is written.
struct WebhookResponse: Sendable {
    var status: HTTPResponseStatus
    var headers: HTTPHeaders
    var body: ByteBuffer

    init(status: HTTPResponseStatus, contentType: String, body: ByteBuffer) {
        self.status = status
        self.headers = ["Content-Type": contentType]
        self.body = body
    }

    /// The status code as a number (for metrics and logs).
    var code: Int { Int(status.code) }
}
