import HummingbirdCore
import Logging
import NIOCore
import NIOSSL

/// The server's child channel: TLS with the serving certificate current when the connection is
/// accepted, then HTTP/1.1. It differs from HummingbirdTLS's `TLSChannel` in two ways the
/// webhook needs: the TLS context is looked up per connection (certificate reload without
/// restart), and the client's certificates are captured into a `TLSPeer` that the request
/// handlers of that connection see as `TLSPeer.current`.
struct WebhookTLSChannel<Base: HTTPChannelHandler>: ServerChildChannel, HTTPChannelHandler {
    struct Value: ServerChildChannelValue {
        var base: Base.Value
        var peer: TLSPeer
        var channel: any Channel { base.channel }
    }

    let base: Base
    let certificates: ServingCertificateStore
    let executors: EventLoopTaskExecutors

    var responder: HTTPChannelHandler.Responder { base.responder }

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        let context = certificates.current.context
        return channel.eventLoop.makeCompletedFuture { () -> TLSPeer in
            let peer = TLSPeer()
            let handler = NIOSSLServerHandler(context: context, customVerificationCallback: { presented, promise in
                // Accept whatever is presented; the authenticator decides what it proves.
                peer.record(presented)
                promise.succeed(.certificateVerified)
            }, configuration: .init())
            try channel.pipeline.syncOperations.addHandler(handler)
            return peer
        }.flatMap { peer in
            base.setup(channel: channel, logger: logger).map { Value(base: $0, peer: peer) }
        }
    }

    func handle(value: Value, logger: Logger) async {
        // HTTP1Channel answers a connection's requests in this task, so they all see the peer,
        // and they run on the connection's own event loop.
        let executor = executors[value.channel.eventLoop]
        let cancellation = ConnectionCancellation()
        await withTaskCancellationHandler {
            await TLSPeer.$current.withValue(value.peer) {
                await EventLoopTaskExecutor.$current.withValue(executor) {
                    await ConnectionCancellation.$current.withValue(cancellation) {
                        await withTaskExecutorPreference(executor) {
                            await base.handle(value: value.base, logger: logger)
                        }
                    }
                }
            }
        } onCancel: {
            cancellation.cancel()
        }
    }
}
