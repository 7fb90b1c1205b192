import Logging
import NIOCore
import NIOExtras
import NIOPosix
import ServiceLifecycle

/// The HTTPS listener, as a swift-service-lifecycle `Service`: accepts connections, gives each
/// its own task on its own event loop, and answers their requests with `respond`.
///
/// Graceful shutdown closes the listening socket, closes idle connections, lets each busy one
/// finish its answer (sent with `Connection: close`), and returns when the last is closed.
///
/// Built directly on SwiftNIO's HTTP/1.1 codec, the same stack as the bare server that
/// `dns01-bench serve` compares against, rather than on a framework's channel: the webhook
/// answers small whole requests, and the request-body stream, response writer and type
/// conversions that a general server carries were an eighth of the CPU per challenge.
struct HTTPSListener: Service {
    var host: String
    var port: Int
    var certificates: ServingCertificateStore
    var idleTimeout: Duration
    var maximumBodyBytes: Int
    var logger: Logger
    var onListening: @Sendable (Int) async -> Void
    var respond: @Sendable (WebhookRequest) async -> WebhookResponse

    func run() async throws {
        let group = MultiThreadedEventLoopGroup.singleton
        let executors = EventLoopTaskExecutors(group: group)
        let quiescing = ServerQuiescingHelper(group: group)
        let certificates = self.certificates
        let idleTimeout = TimeAmount.nanoseconds(idleTimeout.nanoseconds)
        let logger = self.logger
        let listener = try await ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .serverChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(quiescing.makeServerChannelHandler(channel: channel))
                    try channel.pipeline.syncOperations.addHandler(AcceptErrorLogger(logger: logger))
                }
            }
            .bind(host: host, port: port) { channel in
                // The certificate current now: a reload applies from the next connection on.
                WebhookConnection.configure(channel, tls: certificates.current.context, idleTimeout: idleTimeout)
            }
        await onListening(listener.channel.localAddress?.port ?? port)

        let maximumBodyBytes = self.maximumBodyBytes
        let respond = self.respond
        try await withGracefulShutdownHandler {
            try await withThrowingDiscardingTaskGroup { connections in
                do {
                    try await listener.executeThenClose { accepted in
                        for try await connection in accepted {
                            // The connection's requests run on the event loop that reads and
                            // writes its socket (EventLoopTaskExecutor).
                            let executor = executors[connection.eventLoop]
                            connections.addTask(executorPreference: executor) {
                                await Self.serve(connection, executor: executor, maximumBodyBytes: maximumBodyBytes, logger: logger, respond: respond)
                            }
                        }
                    }
                } catch {
                    // Not recoverable here: end the service so the process exits and restarts.
                    logger.error("the listener failed", metadata: ["error": "\(error)"])
                    throw error
                }
            }
        } onGracefulShutdown: {
            quiescing.initiateShutdown(promise: nil)
        }
    }

    private static func serve(
        _ connection: WebhookConnection,
        executor: EventLoopTaskExecutor?,
        maximumBodyBytes: Int,
        logger: Logger,
        respond: @escaping @Sendable (WebhookRequest) async -> WebhookResponse
    ) async {
        let cancellation = ConnectionCancellation()
        await withTaskCancellationHandler {
            await EventLoopTaskExecutor.$current.withValue(executor) {
                await ConnectionCancellation.$current.withValue(cancellation) {
                    await connection.serve(maximumBodyBytes: maximumBodyBytes, logger: logger, respond: respond)
                }
            }
        } onCancel: {
            cancellation.cancel()
            connection.parts.channel.close(promise: nil)
        }
    }
}

/// Keeps the accept loop alive through accept errors (out of file descriptors, a connection
/// reset before it was accepted): they are logged here instead of ending the listener.
private final class AcceptErrorLogger: ChannelInboundHandler {
    typealias InboundIn = any Channel
    typealias InboundOut = any Channel

    let logger: Logger
    init(logger: Logger) { self.logger = logger }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        logger.warning("could not accept a connection", metadata: ["error": "\(error)"])
    }
}
