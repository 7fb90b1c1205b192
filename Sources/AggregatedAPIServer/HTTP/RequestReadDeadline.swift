import NIOCore

/// Bounds how long one request may take to arrive, from its first byte to its last, however
/// steadily its bytes trickle in (the idle timer restarts on every byte, so it alone would let
/// a client hold a connection with one byte a minute): like the generic API server's header
/// read timeout, but for the whole request, which here is small.
///
/// It sits between TLS and the HTTP codec and sees the bytes; `ServerRequestHandler` says when
/// a request has been read whole (`requestRead()`). It costs a clock read per socket read,
/// and no timer: a client that stops sending altogether is the idle timer's.
final class RequestReadDeadline: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private let limit: TimeAmount
    /// When the first byte of the request being read arrived; `nil` between requests.
    private var readingSince: NIODeadline?

    init(limit: TimeAmount) {
        self.limit = limit
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let now = NIODeadline.now()
        if let since = readingSince {
            guard now - since <= limit else {
                context.close(promise: nil)
                return
            }
        } else {
            readingSince = now
        }
        context.fireChannelRead(data)
    }

    /// The request being read has arrived whole; the next byte starts the next one.
    func requestRead() {
        readingSince = nil
    }
}
