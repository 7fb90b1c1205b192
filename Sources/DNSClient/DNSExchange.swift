import DNSWire
import NIOCore
import NIOPosix

/// Sends DNS messages to one server over UDP (falling back to TCP when the answer is
/// truncated) or over TCP directly, each exchange bounded by `timeout`.
public struct DNSExchange: Sendable {
    /// The server as given (`HOST:PORT`).
    public let host: String
    public let port: Int
    public let timeout: Duration
    private let group: any EventLoopGroup
    /// The address when `host` is an IP address; a name is resolved at each exchange.
    private let literalAddress: SocketAddress?

    /// `hostAndPort` is `HOST:PORT`, `[IPv6]:PORT` or a bare host (port 53). A host name is
    /// resolved when a message is sent, off the event loops (the resolver blocks, and requests
    /// run on event loops), so creating an exchange never waits on DNS.
    public init(hostAndPort: String, timeout: Duration = .seconds(3), group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) throws {
        let (host, port) = try Self.split(hostAndPort)
        self.host = host
        self.port = port
        self.literalAddress = try? SocketAddress(ipAddress: host, port: port)
        self.timeout = timeout
        self.group = group
    }

    /// The server as messages name it: `HOST:PORT` (`[IPv6]:PORT`).
    public var serverName: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }

    /// The server's address: the IP given, or the host name resolved on NIO's thread pool.
    public func serverAddress() async throws -> SocketAddress {
        if let literalAddress { return literalAddress }
        let (host, port) = (self.host, self.port)
        do {
            return try await NIOThreadPool.singleton.runIfActive {
                try SocketAddress.makeAddressResolvingHost(host, port: port)
            }
        } catch {
            throw DNSClientError("cannot resolve nameserver \"\(host)\": \(error)")
        }
    }

    /// Sends `message` over UDP; when the answer has TC set, asks again over TCP.
    public func send(_ message: DNSMessage) async throws -> DNSMessage {
        let answer = try await sendUDP(message)
        if answer.flags.truncated { return try await sendTCP(message) }
        return answer
    }

    public func sendUDP(_ message: DNSMessage) async throws -> DNSMessage {
        try DNSMessage.decode(try await exchangeUDP(try message.encoded()))
    }

    public func sendTCP(_ message: DNSMessage) async throws -> DNSMessage {
        try DNSMessage.decode(try await exchangeTCP(try message.encoded()))
    }

    /// Sends an encoded message over UDP and returns the bytes of the first datagram that
    /// answers it (same ID, QR set). The raw forms exist for TSIG, which signs exact bytes.
    public func exchangeUDP(_ query: [UInt8]) async throws -> [UInt8] {
        guard query.count >= 12 else { throw DNSClientError("query shorter than a DNS header") }
        let server = try await serverAddress()
        let bindHost = server.protocol == .inet6 ? "::" : "0.0.0.0"
        return try await withDeadline(timeout, what: "UDP query to \(server)") {
            let channel = try await DatagramBootstrap(group: self.group)
                .bind(host: bindHost, port: 0) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try NIOAsyncChannel<AddressedEnvelope<ByteBuffer>, AddressedEnvelope<ByteBuffer>>(wrappingChannelSynchronously: channel)
                    }
                }
            return try await channel.executeThenClose { inbound, outbound in
                try await outbound.write(AddressedEnvelope(remoteAddress: server, data: ByteBuffer(bytes: query)))
                for try await envelope in inbound {
                    let answer = Array(buffer: envelope.data)
                    // A stray or spoofed datagram: keep waiting.
                    guard answer.count >= 12, answer[0] == query[0], answer[1] == query[1], answer[2] & 0x80 != 0 else { continue }
                    return answer
                }
                throw DNSClientError("the UDP socket closed before \(server) answered")
            }
        }
    }

    /// Sends an encoded message over TCP and returns the bytes of the answer.
    public func exchangeTCP(_ query: [UInt8]) async throws -> [UInt8] {
        guard query.count >= 12 else { throw DNSClientError("query shorter than a DNS header") }
        guard query.count <= Int(UInt16.max) else { throw DNSClientError("query too large for TCP") }
        let server = try await serverAddress()
        return try await withDeadline(timeout, what: "TCP query to \(server)") {
            let channel = try await ClientBootstrap(group: self.group)
                .connect(to: server) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                    }
                }
            return try await channel.executeThenClose { inbound, outbound in
                var framed = ByteBuffer()
                framed.writeInteger(UInt16(query.count))
                framed.writeBytes(query)
                try await outbound.write(framed)
                var received = ByteBuffer()
                for try await chunk in inbound {
                    received.writeImmutableBuffer(chunk)
                    guard let length = received.getInteger(at: received.readerIndex, as: UInt16.self),
                        received.readableBytes >= 2 + Int(length)
                    else { continue }
                    let answer = received.getBytes(at: received.readerIndex + 2, length: Int(length)) ?? []
                    guard answer.count >= 12, answer[0] == query[0], answer[1] == query[1] else {
                        throw DNSClientError("\(server) answered with a mismatched id")
                    }
                    return answer
                }
                throw DNSClientError("\(server) closed the TCP connection without an answer")
            }
        }
    }

    /// Checks `HOST:PORT`, `[IPv6]:PORT` or a bare host without resolving it, for config
    /// validation that must not do I/O.
    public static func parseHostAndPort(_ text: String) throws -> (host: String, port: Int) {
        let (host, port) = try split(text)
        return (host, port)
    }

    static func split(_ hostAndPort: String) throws -> (String, Int) {
        if hostAndPort.hasPrefix("[") {
            guard let close = hostAndPort.firstIndex(of: "]") else { throw DNSClientError("invalid nameserver \"\(hostAndPort)\"") }
            let host = String(hostAndPort[hostAndPort.index(after: hostAndPort.startIndex)..<close])
            let rest = hostAndPort[hostAndPort.index(after: close)...]
            if rest.isEmpty { return (host, 53) }
            guard rest.hasPrefix(":"), let port = Int(rest.dropFirst()), (1...65535).contains(port) else {
                throw DNSClientError("invalid nameserver port in \"\(hostAndPort)\"")
            }
            return (host, port)
        }
        let parts = hostAndPort.split(separator: ":", omittingEmptySubsequences: false)
        switch parts.count {
        case 1 where !hostAndPort.isEmpty: return (hostAndPort, 53)
        case 2:
            guard !parts[0].isEmpty, let port = Int(parts[1]), (1...65535).contains(port) else {
                throw DNSClientError("invalid nameserver \"\(hostAndPort)\"; expected HOST:PORT")
            }
            return (String(parts[0]), port)
        default:
            if parts.count > 2 { return (hostAndPort, 53) }  // a bare IPv6 address
            throw DNSClientError("invalid nameserver \"\(hostAndPort)\"; expected HOST:PORT")
        }
    }
}

public struct DNSClientError: Error, Sendable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// Runs `body`, failing with a timeout error once `limit` has passed.
func withDeadline<T: Sendable>(_ limit: Duration, what: String, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
    try await withThrowingTaskGroup(of: T.self) { group in
        group.addTask { try await body() }
        group.addTask {
            try await Task.sleep(for: limit)
            throw DNSClientError("\(what) timed out after \(limit)")
        }
        defer { group.cancelAll() }
        guard let first = try await group.next() else { throw DNSClientError("\(what) produced no result") }
        return first
    }
}
