import Logging
import NIOCore
import NIOHTTP1
import NIOSSL

/// One accepted connection: TLS with the serving certificate current when it was accepted,
/// SwiftNIO's HTTP/1.1 server codec, and the loop that answers its requests one at a time.
///
/// NIO's codec answers unparseable input with 400 and closes; `ConnectionLifecycleHandler`
/// closes idle connections and quiesces on graceful shutdown.
struct WebhookConnection: Sendable {
    typealias Parts = NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>

    let parts: Parts
    /// The client's certificates, recorded by the TLS handshake.
    let peer: TLSPeer

    var eventLoop: any EventLoop { parts.channel.eventLoop }

    /// Builds the pipeline of a newly accepted channel (on its event loop).
    static func configure(_ channel: any Channel, tls: NIOSSLContext, idleTimeout: TimeAmount) -> EventLoopFuture<WebhookConnection> {
        channel.eventLoop.makeCompletedFuture {
            let peer = TLSPeer()
            let handlers = channel.pipeline.syncOperations
            try handlers.addHandler(IdleStateHandler(readTimeout: idleTimeout))
            try handlers.addHandler(NIOSSLServerHandler(context: tls, customVerificationCallback: { presented, promise in
                // Client certificates are requested, not required, and any chain is accepted
                // here: the authenticator decides what it proves, against CAs that can change.
                peer.record(presented)
                promise.succeed(.certificateVerified)
            }, configuration: .init()))
            try handlers.configureHTTPServerPipeline(withPipeliningAssistance: false, withErrorHandling: true)
            try handlers.addHandler(ConnectionLifecycleHandler())
            return WebhookConnection(parts: try Parts(wrappingChannelSynchronously: channel), peer: peer)
        }
    }

    /// Answers the connection's requests until the client closes it, asks for `close`, the
    /// server quiesces or the connection goes idle. A request whose body passes
    /// `maximumBodyBytes` is answered at once (`WebhookRequest.bodyTooLarge`), and the
    /// connection closed rather than the rest read.
    func serve(
        maximumBodyBytes: Int,
        logger: Logger,
        respond: (WebhookRequest) async -> WebhookResponse
    ) async {
        let peer = self.peer
        let noBody = parts.channel.allocator.buffer(capacity: 0)
        do {
            try await parts.executeThenClose { inbound, outbound in
                var head: HTTPRequestHead?
                var body: ByteBuffer?
                for try await part in inbound {
                    switch part {
                    case .head(let next):
                        if let length = next.headers.first(name: "content-length").flatMap(Int.init), length > maximumBodyBytes {
                            let response = await respond(WebhookRequest(head: next, body: noBody, peer: peer, bodyTooLarge: true))
                            try await Self.write(response, answering: next, to: outbound, close: true)
                            return
                        }
                        head = next
                        body = nil
                    case .body(var chunk):
                        guard head != nil else { continue }
                        guard (body?.readableBytes ?? 0) + chunk.readableBytes <= maximumBodyBytes else {
                            let response = await respond(WebhookRequest(head: head!, body: noBody, peer: peer, bodyTooLarge: true))
                            try await Self.write(response, answering: head!, to: outbound, close: true)
                            return
                        }
                        if body == nil { body = chunk } else { body!.writeBuffer(&chunk) }
                    case .end:
                        guard let request = head else { continue }
                        head = nil
                        let response = await respond(WebhookRequest(head: request, body: body ?? noBody, peer: peer))
                        body = nil
                        try await Self.write(response, answering: request, to: outbound)
                        guard request.isKeepAlive else { return }
                    }
                }
            }
        } catch {
            // The client went away mid-request or mid-answer; nothing is left to tell it.
            logger.trace("connection ended", metadata: ["error": "\(error)"])
        }
    }

    private static func write(
        _ response: WebhookResponse,
        answering request: HTTPRequestHead,
        to outbound: NIOAsyncChannelOutboundWriter<HTTPServerResponsePart>,
        close: Bool = false
    ) async throws {
        var head = HTTPResponseHead(version: request.version, status: response.status, headers: response.headers)
        head.headers.replaceOrAdd(name: "Content-Length", value: String(response.body.readableBytes))
        if close || !request.isKeepAlive { head.headers.replaceOrAdd(name: "Connection", value: "close") }
        if request.method == .HEAD || response.body.readableBytes == 0 {
            try await outbound.write(contentsOf: [.head(head), .end(nil)])
        } else {
            try await outbound.write(contentsOf: [.head(head), .body(.byteBuffer(response.body)), .end(nil)])
        }
    }
}

/// The connection's HTTP/1.1 lifecycle beyond parsing: closing it when the client has gone
/// quiet, and when the server quiesces.
///
/// - Idle (`--idle-timeout` without a byte): between requests, during the TLS handshake, or
///   part-way through sending a request, which would otherwise hold the connection for ever.
///   A request being answered is not cut off; its deadline bounds it.
/// - Quiescing (graceful shutdown): an idle connection is closed at once; a busy one after its
///   answer, which says `Connection: close`.
///
/// NIO's `HTTPServerPipelineHandler` would do the quiescing too, but it stops and restarts
/// reading the socket around every request (two `epoll_ctl` calls each); the connection loop
/// reads one request at a time anyway, and its inbound buffer bounds what a pipelining client
/// can queue.
final class ConnectionLifecycleHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    private var readingRequest = false
    private var answering = false
    private var closeAfterAnswer = false

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head:
            readingRequest = true
            answering = true
        case .end:
            readingRequest = false
        case .body:
            break
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .head(var head) where closeAfterAnswer:
            head.headers.replaceOrAdd(name: "Connection", value: "close")
            context.write(wrapOutboundOut(.head(head)), promise: promise)
        case .end:
            answering = false
            if closeAfterAnswer {
                let loopBound = context.loopBound
                let written = context.writeAndFlush(data)
                written.cascade(to: promise)
                written.whenComplete { _ in loopBound.value.close(promise: nil) }
            } else {
                context.write(data, promise: promise)
            }
        default:
            context.write(data, promise: promise)
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        switch event {
        case IdleStateHandler.IdleStateEvent.read:
            if readingRequest || !answering { context.close(promise: nil) }
        case is ChannelShouldQuiesceEvent:
            if answering { closeAfterAnswer = true } else { context.close(promise: nil) }
        default:
            context.fireUserInboundEventTriggered(event)
        }
    }
}
