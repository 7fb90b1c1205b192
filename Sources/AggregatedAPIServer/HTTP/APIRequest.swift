import NIOCore
import NIOHTTP1

/// One whole request as the responder and resources see it: SwiftNIO's parsed head, the body
/// gathered up to the server's limit, and the TLS peer of its connection.
public struct APIRequest: Sendable {
    public var head: HTTPRequestHead
    public var body: ByteBuffer
    /// The client of this request's connection (its certificates); `nil` outside a server.
    var peer: TLSPeer?
    /// The body passed the server's limit; `body` is empty and the answer is 413.
    var bodyTooLarge = false

    /// A request as a connection delivers it.
    init(head: HTTPRequestHead, body: ByteBuffer, peer: TLSPeer?, bodyTooLarge: Bool = false) {
        self.head = head
        self.body = body
        self.peer = peer
        self.bodyTooLarge = bodyTooLarge
    }

    /// A request with no connection behind it (for testing a resource on its own).
    public init(head: HTTPRequestHead, body: ByteBuffer) {
        self.init(head: head, body: body, peer: nil)
    }

    public var method: HTTPMethod { head.method }
    public var headers: HTTPHeaders { head.headers }

    /// The path, without the query; `/` for an empty one. Absolute-form targets
    /// (`https://host/path`) are reduced to their path.
    public var path: String {
        var target = Substring(head.uri)
        if !target.hasPrefix("/"), let scheme = target.range(of: "://") {
            target = target[scheme.upperBound...]
            target = target.firstIndex(of: "/").map { target[$0...] } ?? "/"
        }
        if let query = target.firstIndex(of: "?") { target = target[..<query] }
        return target.isEmpty ? "/" : String(target)
    }

    /// Whether the query has `name` as a key (`?verbose`, `?verbose=1`).
    public func hasQueryItem(_ name: String) -> Bool {
        guard let start = head.uri.firstIndex(of: "?") else { return false }
        return head.uri[head.uri.index(after: start)...].split(separator: "&").contains { item in
            item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).first.map { $0 == name } ?? false
        }
    }
}
