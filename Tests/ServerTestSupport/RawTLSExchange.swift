import NIOCore
import NIOPosix
import NIOSSL

/// What a raw exchange saw: everything the server sent, and whether it closed the connection.
public struct RawExchange: Sendable {
    public var text: String
    public var closedByServer: Bool

    /// The status lines of the responses, in order (a body need not end in a line break, so
    /// the next status line can follow it on the same line).
    public var statusLines: [String] {
        text.components(separatedBy: "HTTP/1.1 ").dropFirst().map { "HTTP/1.1 " + ($0.components(separatedBy: "\r\n").first ?? "") }
    }
}

/// Opens a TLS connection as `identity`, sends `request` byte for byte (pipelined requests,
/// partial requests, garbage: whatever an HTTP client library would not send), and reads until
/// `done` holds for what has arrived, the server closes, or `timeout` passes.
public func rawExchange(
    port: Int,
    as identity: ClientIdentity = .alice,
    sending request: String,
    timeout: Duration = .seconds(10),
    until done: @escaping @Sendable (String) -> Bool = { _ in false }
) async throws -> RawExchange {
    let channel = try await connectRawTLS(port: port, as: identity)
    return try await channel.executeThenClose { inbound, outbound in
        if !request.isEmpty { try await outbound.write(ByteBuffer(string: request)) }
        return try await withThrowingTaskGroup(of: RawExchange?.self) { group in
            group.addTask {
                var text = ""
                for try await chunk in inbound {
                    text += String(buffer: chunk)
                    if done(text) { return RawExchange(text: text, closedByServer: false) }
                }
                return RawExchange(text: text, closedByServer: true)
            }
            group.addTask {
                try await Task.sleep(for: timeout)
                return nil
            }
            let first = try await group.next()!
            group.cancelAll()
            guard let first else { throw RawExchangeTimeout(seconds: timeout) }
            return first
        }
    }
}

public struct RawExchangeTimeout: Error, CustomStringConvertible {
    public var seconds: Duration
    public var description: String { "nothing conclusive from the server within \(seconds)" }
}

/// Opens a TLS connection as `identity` and sends `request` one byte every `interval`, until
/// it is all sent or the server closes the connection; returns how many bytes went out
/// before the close (`nil`: never closed) and whether any answer came back.
public func trickle(
    port: Int,
    as identity: ClientIdentity = .alice,
    sending request: String,
    interval: Duration
) async throws -> (bytesBeforeClose: Int?, answered: Bool) {
    let channel = try await connectRawTLS(port: port, as: identity)
    return try await channel.executeThenClose { inbound, outbound in
        let reader = Task { () -> Bool in
            var answered = false
            do {
                for try await chunk in inbound where chunk.readableBytes > 0 { answered = true }
            } catch {}
            return answered
        }
        var sent = 0
        var closedAt: Int?
        for byte in request.utf8 {
            do {
                try await outbound.write(ByteBuffer(bytes: [byte]))
            } catch {
                closedAt = sent
                break
            }
            sent += 1
            try await Task.sleep(for: interval)
            if !channel.channel.isActive {
                closedAt = sent
                break
            }
        }
        if closedAt == nil { reader.cancel() }
        return (closedAt, await reader.value)
    }
}

/// A TLS connection to the server on 127.0.0.1:`port` as `identity`, carrying raw bytes.
private func connectRawTLS(port: Int, as identity: ClientIdentity) async throws -> NIOAsyncChannel<ByteBuffer, ByteBuffer> {
    let context = try NIOSSLContext(configuration: identity.tlsConfiguration())
    return try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
        .connect(host: "127.0.0.1", port: port) { channel in
            channel.eventLoop.makeCompletedFuture {
                try channel.pipeline.syncOperations.addHandler(NIOSSLClientHandler(context: context, serverHostname: "localhost"))
                return try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
            }
        }
}
