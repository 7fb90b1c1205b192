import Logging
import NIOCore
import NIOHTTP1
import NIOSSL

/// The pipeline of an accepted connection: TLS with the serving certificate current when it
/// was accepted (client certificates recorded for the authenticator), SwiftNIO's HTTP/1.1
/// codec (which answers unparseable input with 400 and closes), an idle timer, a deadline for
/// each request's arrival, and `ServerRequestHandler`.
enum ServerConnection {
    static func configure(_ channel: any Channel, tls: NIOSSLContext, settings: ServerRequestHandler.Settings) -> EventLoopFuture<Void> {
        channel.eventLoop.makeCompletedFuture {
            let peer = TLSPeer()
            let handlers = channel.pipeline.syncOperations
            try handlers.addHandler(IdleStateHandler(readTimeout: settings.idleTimeout))
            try handlers.addHandler(NIOSSLServerHandler(context: tls, customVerificationCallback: { presented, promise in
                // Client certificates are requested, not required, and any chain is accepted
                // here: the authenticator decides what it proves, against CAs that can change.
                peer.record(presented)
                promise.succeed(.certificateVerified)
            }, configuration: .init()))
            let readDeadline = RequestReadDeadline(limit: settings.requestReadTimeout)
            try handlers.addHandler(readDeadline)
            try handlers.configureHTTPServerPipeline(withPipeliningAssistance: false, withErrorHandling: true)
            try handlers.addHandler(ServerRequestHandler(peer: peer, readDeadline: readDeadline, settings: settings))
        }
    }
}

/// A connection's requests: each gathered whole (body up to the limit), answered by
/// `respond` in a task of its own on the connection's event loop, and written back in one
/// flush. One request is answered at a time; parts a pipelining client sends meanwhile wait,
/// and only then is reading paused.
///
/// It also closes the connection when the client has gone quiet (`--idle-timeout` without a
/// byte: between requests, during the TLS handshake, or part-way through sending a request; a
/// request being answered is bounded by its deadline instead), and when the server quiesces
/// (graceful shutdown): at once if idle, else after the answer, which then says
/// `Connection: close`.
///
/// A channel handler rather than a loop over `NIOAsyncChannel`: the async stream and writer
/// between the pipeline and a connection task, with their locks and wake-ups, cost more per
/// request than the task that answers it. NIO's `HTTPServerPipelineHandler` is not used
/// either: it pauses and resumes reading around every request (two `epoll_ctl` calls), where
/// a client that does not pipeline (the aggregator does not) needs neither.
final class ServerRequestHandler: ChannelDuplexHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    struct Settings: Sendable {
        var maximumBodyBytes: Int
        var idleTimeout: TimeAmount
        var requestReadTimeout: TimeAmount
        var executor: EventLoopTaskExecutor?
        var logger: Logger
        var respond: @Sendable (APIRequest) async -> APIResponse
    }

    private let peer: TLSPeer
    private let readDeadline: RequestReadDeadline
    private let settings: Settings
    /// Cancels the request being answered when the connection closes.
    private let cancellation = ConnectionCancellation()
    private let noBody = ByteBufferAllocator().buffer(capacity: 0)

    /// The request being read, and its body so far.
    private var head: HTTPRequestHead?
    private var body: ByteBuffer?
    /// A request is being answered.
    private var answering = false
    /// Parts that arrived while answering (a pipelining client), handled after the answer.
    private var waiting = CircularBuffer<HTTPServerRequestPart>()
    /// A `read` held back while parts wait.
    private var readPending = false
    private var closeAfterAnswer = false
    private var closed = false

    init(peer: TLSPeer, readDeadline: RequestReadDeadline, settings: Settings) {
        self.peer = peer
        self.readDeadline = readDeadline
        self.settings = settings
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let part = unwrapInboundIn(data)
        if answering || !waiting.isEmpty {
            waiting.append(part)
        } else {
            handle(part, context: context)
        }
    }

    private func handle(_ part: HTTPServerRequestPart, context: ChannelHandlerContext) {
        switch part {
        case .head(let next):
            if let length = next.headers.first(name: "content-length").flatMap(Int.init), length > settings.maximumBodyBytes {
                tooLarge(next, context: context)
                return
            }
            head = next
            body = nil
            if next.headers[canonicalForm: "expect"].contains(where: { $0.lowercased() == "100-continue" }) {
                // The client waits for this before sending the body (curl does, for large ones).
                context.writeAndFlush(wrapOutboundOut(.head(HTTPResponseHead(version: next.version, status: .continue))), promise: nil)
            }
        case .body(var chunk):
            guard let request = head else { return }  // the rest of a refused body
            guard (body?.readableBytes ?? 0) + chunk.readableBytes <= settings.maximumBodyBytes else {
                tooLarge(request, context: context)
                return
            }
            if body == nil { body = chunk } else { body!.writeBuffer(&chunk) }
        case .end:
            readDeadline.requestRead()
            guard let request = head else { return }
            head = nil
            let whole = APIRequest(head: request, body: body ?? noBody, peer: peer)
            body = nil
            answer(whole, context: context, close: !request.isKeepAlive)
        }
    }

    /// Answers a body over the limit at once, and closes rather than reading the rest.
    private func tooLarge(_ request: HTTPRequestHead, context: ChannelHandlerContext) {
        head = nil
        body = nil
        answer(APIRequest(head: request, body: noBody, peer: peer, bodyTooLarge: true), context: context, close: true)
    }

    private func answer(_ request: APIRequest, context: ChannelHandlerContext, close: Bool) {
        answering = true
        let settings = self.settings
        let cancellation = self.cancellation
        let eventLoop = context.eventLoop
        let bound = NIOLoopBound((handler: self, context: context), eventLoop: eventLoop)
        Task(executorPreference: settings.executor) {
            let response = await ConnectionCancellation.$current.withValue(cancellation) {
                await settings.respond(request)
            }
            if eventLoop.inEventLoop {
                bound.value.handler.finish(request.head, response, context: bound.value.context, close: close)
            } else {
                eventLoop.execute { bound.value.handler.finish(request.head, response, context: bound.value.context, close: close) }
            }
        }
    }

    private func finish(_ request: HTTPRequestHead, _ response: APIResponse, context: ChannelHandlerContext, close: Bool) {
        answering = false
        guard !closed else { return }
        let close = close || closeAfterAnswer
        var head = HTTPResponseHead(version: request.version, status: response.status, headers: response.headers)
        head.headers.replaceOrAdd(name: "Content-Length", value: String(response.body.readableBytes))
        if close { head.headers.replaceOrAdd(name: "Connection", value: "close") }
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        if request.method != .HEAD, response.body.readableBytes > 0 {
            context.write(wrapOutboundOut(.body(.byteBuffer(response.body))), promise: nil)
        }
        let written = context.writeAndFlush(wrapOutboundOut(.end(nil)))
        if close {
            let bound = context.loopBound
            written.whenComplete { _ in bound.value.close(promise: nil) }
            return
        }
        while !answering, let next = waiting.popFirst() {
            handle(next, context: context)
        }
        if waiting.isEmpty, readPending {
            readPending = false
            context.read()
        }
    }

    func read(context: ChannelHandlerContext) {
        // Read on while nothing waits: a client that does not pipeline costs no epoll changes.
        if waiting.isEmpty {
            context.read()
        } else {
            readPending = true
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        switch event {
        case IdleStateHandler.IdleStateEvent.read:
            if head != nil || (!answering && waiting.isEmpty) { context.close(promise: nil) }
        case is ChannelShouldQuiesceEvent:
            if answering || head != nil { closeAfterAnswer = true } else { context.close(promise: nil) }
        default:
            context.fireUserInboundEventTriggered(event)
        }
    }

    /// Nothing more is read or answered on this connection.
    private func stop() {
        closed = true
        waiting.removeAll()
    }

    func channelInactive(context: ChannelHandlerContext) {
        stop()
        cancellation.cancel()
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // Unparseable HTTP (NIO's error handler has written the 400 just now), a TLS failure or
        // a reset: nothing more can be said on this connection.
        settings.logger.trace("connection failed", metadata: ["error": "\(error)"])
        stop()
        context.close(promise: nil)
    }
}
