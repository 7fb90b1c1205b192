import ArgumentParser
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// The baseline for `serve`: a bare SwiftNIO HTTP/1.1 TLS server (NIO's HTTP/1.1 codec and an
/// async channel per connection, the usual way to write one) answering every request with a
/// fixed body. Whatever `serve` costs
/// beyond this is the webhook's own work: routing, authentication, JSON, the provider call.
struct ServeBaselineServer: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve-baseline-server",
        abstract: "A bare SwiftNIO TLS server answering a fixed body (run by `serve`).",
        shouldDisplay: false
    )

    @Option var certificate: String
    @Option var key: String
    @Option var port = 0

    func run() async throws {
        var tls = TLSConfiguration.makeServerConfiguration(
            certificateChain: try NIOSSLCertificate.fromPEMFile(certificate).map { .certificate($0) },
            privateKey: .privateKey(try NIOSSLPrivateKey(file: key, format: .pem))
        )
        tls.minimumTLSVersion = .tlsv12
        let context = try NIOSSLContext(configuration: tls)
        let body = ByteBuffer(string: #"{"kind":"ChallengePayload","response":{"uid":"","success":true}}"#)
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .bind(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: context))
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    return try NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>(wrappingChannelSynchronously: channel)
                }
            }
        // Unbuffered: the benchmark waits for this line on a pipe.
        FileHandle.standardOutput.write(Data("{\"port\": \(server.channel.localAddress?.port ?? 0)}\n".utf8))
        try await withThrowingDiscardingTaskGroup { group in
            try await server.executeThenClose { connections in
                for try await connection in connections {
                    group.addTask {
                        try? await connection.executeThenClose { inbound, outbound in
                            for try await part in inbound {
                                guard case .end = part else { continue }
                                var head = HTTPResponseHead(version: .http1_1, status: .created)
                                head.headers.add(name: "Content-Type", value: "application/json")
                                head.headers.add(name: "Content-Length", value: String(body.readableBytes))
                                try await outbound.write(contentsOf: [.head(head), .body(.byteBuffer(body)), .end(nil)])
                            }
                        }
                    }
                }
            }
        }
    }
}
