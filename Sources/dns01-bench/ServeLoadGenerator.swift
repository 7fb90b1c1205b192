import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// Closed-loop HTTP/1.1 load over keep-alive TLS connections: each connection sends a request,
/// waits for the whole answer, and sends the next, for `duration`. Requests alternate between
/// the two bodies (Present, then CleanUp of the same key).
struct ServeLoadGenerator: Sendable {
    struct Result: Sendable {
        var latencies: [Duration]
        var failures: Int
        var elapsed: Duration

        var requestsPerSecond: Double { Double(latencies.count) / elapsed.seconds }
        func percentile(_ fraction: Double) -> Duration {
            guard !latencies.isEmpty else { return .zero }
            return latencies[min(latencies.count - 1, Int(Double(latencies.count) * fraction))]
        }
    }

    let port: Int
    let path: String
    let tls: TLSConfiguration
    let successMarker: String

    func run(connections: Int, duration: Duration, bodies: @escaping @Sendable (_ connection: Int) -> [ByteBuffer]) async throws -> Result {
        let context = try NIOSSLContext(configuration: tls)
        let clock = ContinuousClock()
        let start = clock.now
        let deadline = start + duration
        var all: [Duration] = []
        var failures = 0
        try await withThrowingTaskGroup(of: ([Duration], Int).self) { group in
            for index in 0..<connections {
                group.addTask {
                    try await runConnection(context: context, deadline: deadline, bodies: bodies(index))
                }
            }
            for try await (latencies, failed) in group {
                all += latencies
                failures += failed
            }
        }
        return Result(latencies: all.sorted(), failures: failures, elapsed: clock.now - start)
    }

    private func runConnection(context: NIOSSLContext, deadline: ContinuousClock.Instant, bodies: [ByteBuffer]) async throws -> ([Duration], Int) {
        let channel = try await connect(context: context)
        let clock = ContinuousClock()
        var latencies: [Duration] = []
        var failures = 0
        try await channel.executeThenClose { inbound, outbound in
            var responses = inbound.makeAsyncIterator()
            var sequence = 0
            while clock.now < deadline {
                let body = bodies[sequence % bodies.count]
                sequence += 1
                var head = HTTPRequestHead(version: .http1_1, method: .POST, uri: path)
                head.headers.add(name: "Host", value: "localhost")
                head.headers.add(name: "Content-Type", value: "application/json")
                head.headers.add(name: "Content-Length", value: String(body.readableBytes))
                let started = clock.now
                try await outbound.write(contentsOf: [.head(head), .body(.byteBuffer(body)), .end(nil)])
                var answer = ByteBuffer()
                var ok = false
                reading: while let part = try await responses.next() {
                    switch part {
                    case .head(let response): ok = response.status == .created
                    case .body(var chunk): answer.writeBuffer(&chunk)
                    case .end: break reading
                    }
                }
                latencies.append(clock.now - started)
                if !ok || !String(buffer: answer).contains(successMarker) { failures += 1 }
            }
        }
        return (latencies, failures)
    }

    /// One GET on a fresh connection; the answer's status code.
    func fetchStatus(context: NIOSSLContext, path: String) async throws -> Int {
        let channel = try await connect(context: context)
        return try await channel.executeThenClose { inbound, outbound in
            var head = HTTPRequestHead(version: .http1_1, method: .GET, uri: path)
            head.headers.add(name: "Host", value: "localhost")
            head.headers.add(name: "Connection", value: "close")
            try await outbound.write(contentsOf: [.head(head), .end(nil)])
            for try await part in inbound {
                if case .head(let response) = part { return Int(response.status.code) }
            }
            return 0
        }
    }

    /// A keep-alive HTTP/1.1 connection over TLS to the server under test.
    private func connect(context: NIOSSLContext) async throws -> NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart> {
        try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(NIOSSLClientHandler(context: context, serverHostname: "localhost"))
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    return try NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>(wrappingChannelSynchronously: channel)
                }
            }
    }
}
