import NIOCore
import NIOHTTP1
import NIOPosix

/// The ways a provider endpoint fails that a user meets on the first day, each made real on
/// 127.0.0.1 (or with a name that cannot resolve).
public enum EndpointFailure: String, CaseIterable, Sendable {
    /// Nothing listens at the port.
    case refused
    /// The host name does not resolve (`.invalid` never does).
    case unknownHost = "unknown host"
    /// The server accepts the connection and never answers.
    case blackHole = "black hole"
    /// `https://` to a server that speaks plain HTTP: the handshake fails.
    case tlsMismatch = "TLS mismatch"
    /// The server answers every request with 401 Unauthorized.
    case unauthorized = "401"

    /// Whether the failure should end at once (no retry): all but the black hole, which is
    /// retried as a timeout until the challenge's budget ends.
    public var isPermanent: Bool { self != .blackHole }
}

/// The local servers behind `EndpointFailure`: a black hole and a 401 server (which doubles as
/// the plain-HTTP server a TLS client fails against), and a port nothing listens on.
public final class FailingEndpoints: Sendable {
    private let group: MultiThreadedEventLoopGroup
    private let blackHole: any Channel
    private let unauthorized: any Channel
    private let refused: ReservedPort

    public static func start() async throws -> FailingEndpoints {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let refused = try ReservedPort()
        let blackHole = try await ServerBootstrap(group: group)
            .childChannelInitializer { _ in group.next().makeSucceededVoidFuture() }
            .bind(host: "127.0.0.1", port: 0).get()
        let unauthorized = try await ServerBootstrap(group: group)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.pipeline.configureHTTPServerPipeline(withErrorHandling: true).flatMap {
                    channel.pipeline.addHandler(UnauthorizedResponder())
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        return FailingEndpoints(group: group, blackHole: blackHole, unauthorized: unauthorized, refused: refused)
    }

    private init(group: MultiThreadedEventLoopGroup, blackHole: any Channel, unauthorized: any Channel, refused: ReservedPort) {
        self.group = group
        self.blackHole = blackHole
        self.unauthorized = unauthorized
        self.refused = refused
    }

    /// The base URL (scheme, host and port, no path) that fails as `failure` does.
    public func baseURL(_ failure: EndpointFailure) -> String {
        switch failure {
        case .refused: "http://127.0.0.1:\(refused.port)"
        case .unknownHost: "http://dns01-no-such-host.invalid"
        case .blackHole: "http://127.0.0.1:\(blackHole.localAddress?.port ?? 0)"
        case .tlsMismatch: "https://127.0.0.1:\(unauthorized.localAddress?.port ?? 0)"
        case .unauthorized: "http://127.0.0.1:\(unauthorized.localAddress?.port ?? 0)"
        }
    }

    public func stop() async throws {
        try await blackHole.close()
        try await unauthorized.close()
        refused.release()
        try await group.shutdownGracefully()
    }
}

/// Answers every request with 401 and a small JSON body, as most APIs do for a bad token.
private final class UnauthorizedResponder: ChannelInboundHandler, RemovableChannelHandler, Sendable {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard case .end = unwrapInboundIn(data) else { return }
        let body = ByteBuffer(string: #"{"message":"Unauthorized","code":"unauthorized"}"#)
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "application/json")
        headers.add(name: "Content-Length", value: String(body.readableBytes))
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .unauthorized, headers: headers))), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
    }
}
