import Logging
import NIOCore
import NIOExtras
import NIOPosix
import ServiceLifecycle
import Synchronization

/// The HTTPS listener, as a swift-service-lifecycle `Service`: accepts connections on `group`'s
/// event loops and answers their requests with `respond`, each request on its connection's
/// event loop.
///
/// Graceful shutdown, after `shutdownDelay` of serving on as usual, closes the listening socket,
/// closes idle connections, lets each busy one finish its answer (sent with
/// `Connection: close`), and returns when the last is closed.
///
/// Built directly on SwiftNIO's HTTP/1.1 codec rather than on a framework's server: the server
/// answers small whole requests, and the request-body stream, response writer, async channel
/// and type conversions of a general server were most of what `serve` cost over a bare NIO
/// server (README, Benchmarks).
struct HTTPSListener: Service {
    var group: any EventLoopGroup
    var host: String
    var port: Int
    var certificates: ServingCertificateStore
    var idleTimeout: Duration
    var requestReadTimeout: Duration
    var shutdownDelay: Duration
    var maximumBodyBytes: Int
    var logger: Logger
    var onListening: @Sendable (Int) async -> Void
    var respond: @Sendable (APIRequest) async -> APIResponse

    func run() async throws {
        let group = self.group
        let executors = EventLoopTaskExecutors(group: group)
        let quiescing = ServerQuiescingHelper(group: group)
        let certificates = self.certificates
        let logger = self.logger
        let settings = ServerRequestHandler.Settings(
            maximumBodyBytes: maximumBodyBytes,
            idleTimeout: .nanoseconds(idleTimeout.nanoseconds),
            requestReadTimeout: .nanoseconds(requestReadTimeout.nanoseconds),
            executor: nil,
            logger: logger,
            respond: respond
        )
        let listener = try await ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .serverChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(quiescing.makeServerChannelHandler(channel: channel))
                    try channel.pipeline.syncOperations.addHandler(AcceptErrorLogger(logger: logger))
                }
            }
            .childChannelInitializer { channel in
                var settings = settings
                // The connection's requests run on the event loop that reads and writes its
                // socket (EventLoopTaskExecutor).
                settings.executor = executors[channel.eventLoop]
                // The certificate current now: a reload applies from the next connection on.
                return ServerConnection.configure(channel, tls: certificates.current.context, settings: settings)
            }
            .bind(host: host, port: port)
            .get()
        await onListening(listener.localAddress?.port ?? port)

        // Quiescing closes the listener, closes idle connections at once and busy ones after
        // their answer; `drained` completes when the last is closed.
        let drained = listener.eventLoop.makePromise(of: Void.self)
        let shuttingDown = Atomic(false)
        let delay = shutdownDelay
        let delayedQuiescing = Mutex<Task<Void, Never>?>(nil)
        await withTaskCancellationHandler {
            await withGracefulShutdownHandler {
                try? await listener.closeFuture.get()
            } onGracefulShutdown: {
                shuttingDown.store(true, ordering: .sequentiallyConsistent)
                guard delay > .zero else {
                    quiescing.initiateShutdown(promise: drained)
                    return
                }
                logger.info("serving on until the shutdown delay has passed", metadata: ["delay": "\(delay)"])
                delayedQuiescing.withLock { task in
                    task = Task {
                        // Cancelled (the process is being torn down): quiesce at once.
                        try? await Task.sleep(for: delay)
                        quiescing.initiateShutdown(promise: drained)
                    }
                }
            }
        } onCancel: {
            quiescing.initiateShutdown(promise: nil)
            delayedQuiescing.withLock { $0?.cancel() }
        }
        // The listener closed: by graceful shutdown, which has quiesced, or else by cancellation
        // or a failure, which quiesce here.
        let graceful = shuttingDown.load(ordering: .sequentiallyConsistent)
        if !graceful { quiescing.initiateShutdown(promise: drained) }
        try? await drained.futureResult.get()
        if !graceful, !Task.isCancelled {
            logger.error("the listener closed unexpectedly")
            throw AggregatedAPIServerError("the HTTPS listener on \(host):\(port) closed unexpectedly")
        }
    }
}

/// Logs accept errors (out of file descriptors, a connection reset before it was accepted):
/// the listener goes on accepting.
private final class AcceptErrorLogger: ChannelInboundHandler {
    typealias InboundIn = any Channel
    typealias InboundOut = any Channel

    let logger: Logger
    init(logger: Logger) { self.logger = logger }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        logger.warning("could not accept a connection", metadata: ["error": "\(error)"])
    }
}
