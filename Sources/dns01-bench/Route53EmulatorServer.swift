import NIOCore
import NIOHTTP1
import NIOPosix
import ProviderKit
import Route53Emulator

/// Serves the Route53 model over real HTTP/1.1 on 127.0.0.1, so the benchmark drives the
/// provider through its production transport (AsyncHTTPClient), sockets included.
struct Route53EmulatorServer {
    let emulator: Route53Emulator

    /// Binds, calls `body` with the endpoint URL, and closes the listener when `body` returns.
    func run<T: Sendable>(_ body: @Sendable (String) async throws -> T) async throws -> T {
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .bind(host: "127.0.0.1", port: 0) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    return try NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>(wrappingChannelSynchronously: channel)
                }
            }
        let port = server.channel.localAddress?.port ?? 0
        let emulator = self.emulator
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask {
                try await withThrowingDiscardingTaskGroup { connections in
                    try await server.executeThenClose { inbound in
                        for try await connection in inbound {
                            connections.addTask { try? await Self.serve(connection, emulator: emulator, port: port) }
                        }
                    }
                }
                return nil
            }
            let result = try await body("http://127.0.0.1:\(port)")
            try? await server.channel.close()
            group.cancelAll()
            return result
        }
    }

    private static func serve(_ connection: NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>, emulator: Route53Emulator, port: Int) async throws {
        try await connection.executeThenClose { inbound, outbound in
            var head: HTTPRequestHead?
            var body = ByteBuffer()
            for try await part in inbound {
                switch part {
                case .head(let requestHead):
                    head = requestHead
                    body.clear()
                case .body(var chunk):
                    body.writeBuffer(&chunk)
                case .end:
                    guard let head else { return }
                    let request = APIRequest(
                        method: head.method.rawValue, url: "http://127.0.0.1:\(port)\(head.uri)",
                        headers: head.headers.map { APIRequest.Header($0.name, $0.value) }, body: Array(buffer: body)
                    )
                    let response = try await emulator.send(request, timeout: .seconds(30))
                    var headers = HTTPHeaders()
                    headers.add(name: "Content-Type", value: "text/xml")
                    headers.add(name: "Content-Length", value: String(response.body.count))
                    try await outbound.write(.head(HTTPResponseHead(version: head.version, status: HTTPResponseStatus(statusCode: response.status), headers: headers)))
                    try await outbound.write(.body(.byteBuffer(ByteBuffer(bytes: response.body))))
                    try await outbound.write(.end(nil))
                }
            }
        }
    }
}
