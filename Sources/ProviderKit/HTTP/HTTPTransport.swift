import AsyncHTTPClient
import DNS01
import NIOCore
import NIOHTTP1

/// One HTTP request to a provider API, as plain values, so signers can sign it and tests can
/// inspect it without a network.
public struct APIRequest: Sendable, Hashable {
    public var method: String
    /// The full URL as it goes on the wire (scheme, host, percent-encoded path and query).
    public var url: String
    /// Header fields in order; names as given.
    public var headers: [Header]
    public var body: [UInt8]

    public struct Header: Sendable, Hashable {
        public var name: String
        public var value: String
        public init(_ name: String, _ value: String) {
            self.name = name
            self.value = value
        }
    }

    public init(method: String, url: String, headers: [Header] = [], body: [UInt8] = []) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }

    /// The first value of a header, compared case-insensitively.
    public func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }
}

public struct APIResponse: Sendable, Hashable {
    public var status: Int
    public var headers: [APIRequest.Header]
    public var body: [UInt8]

    public init(status: Int, headers: [APIRequest.Header] = [], body: [UInt8]) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    public var bodyText: String { String(decoding: body, as: UTF8.self) }
}

/// Sends `APIRequest`s. Providers take one of these so tests can put a model of the provider's
/// API (or a recorder) in place of the network.
public protocol HTTPTransport: Sendable {
    func send(_ request: APIRequest, timeout: Duration) async throws -> APIResponse
}

/// The real transport, on AsyncHTTPClient. The default client is a process-wide one, whose
/// lifetime is the process's.
public struct AsyncHTTPClientTransport: HTTPTransport {
    /// AsyncHTTPClient's shared settings, except that a failed connection attempt fails the
    /// request at once instead of being retried until the request's timeout: a refused
    /// connection or an unknown host is reported in a moment, and the provider's `RetryPolicy`
    /// decides what is worth another attempt (`TransportError.isPermanent`).
    public static let sharedClient: HTTPClient = {
        var configuration = HTTPClient.Configuration.singletonConfiguration
        configuration.connectionPool.retryConnectionEstablishment = false
        return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }()

    private let client: HTTPClient
    private let maximumResponseBytes: Int

    public init(client: HTTPClient = AsyncHTTPClientTransport.sharedClient, maximumResponseBytes: Int = 8 << 20) {
        self.client = client
        self.maximumResponseBytes = maximumResponseBytes
    }

    public func send(_ request: APIRequest, timeout: Duration) async throws -> APIResponse {
        // Within the challenge's budget: a request that cannot be answered in time ends while the
        // caller still listens, with this endpoint's name in the error.
        let requested = timeout
        let timeout = ProviderCallScope.clamped(requested)
        // What a timeout's message states as the limit: a round figure, the same on every
        // retry (cert-manager re-queues a challenge whenever its message changes).
        let limit = timeout < requested ? ProviderCallScope.current.map { "the challenge's time budget of \($0.budget.plainSeconds)" } : nil
        guard timeout > .zero else {
            throw TransportError(url: request.url, underlying: "no time left of \(limit ?? "the challenge's time budget") for another request", kind: .timedOut)
        }
        var outbound = HTTPClientRequest(url: request.url)
        outbound.method = HTTPMethod(rawValue: request.method)
        for header in request.headers { outbound.headers.add(name: header.name, value: header.value) }
        if !request.body.isEmpty || request.method == "POST" || request.method == "PUT" {
            outbound.body = .bytes(ByteBuffer(bytes: request.body))
        }
        let response: HTTPClientResponse
        do {
            response = try await client.execute(outbound, timeout: .nanoseconds(Int64(timeout.components.seconds) * 1_000_000_000 + Int64(timeout.components.attoseconds / 1_000_000_000)))
        } catch {
            throw TransportError(url: request.url, error: error, limit: limit ?? "a timeout of \(requested.plainSeconds)")
        }
        let body: ByteBuffer
        do {
            body = try await response.body.collect(upTo: maximumResponseBytes)
        } catch is NIOTooManyBytesError {
            throw TransportError(url: request.url, underlying: "the answer is larger than \(maximumResponseBytes) bytes")
        } catch {
            throw TransportError(url: request.url, error: error, limit: limit ?? "a timeout of \(requested.plainSeconds)")
        }
        return APIResponse(
            status: Int(response.status.code),
            headers: response.headers.map { APIRequest.Header($0.name, $0.value) },
            body: Array(buffer: body)
        )
    }
}

/// The request never got an HTTP answer (DNS, connect, TLS, timeout). `underlying` is a plain
/// sentence ("connection refused", "the host name does not resolve"), never a type or case name
/// of the HTTP stack, so it may go into a user's message as it is.
public struct TransportError: PlainError, Sendable, CustomStringConvertible {
    /// What kind of failure: providers retry the transient ones and fail at once on the rest.
    public enum Kind: Sendable, Hashable {
        /// Nothing listens at the address (a wrong port or host, or the server is down).
        case connectionRefused
        /// The host name does not resolve.
        case unknownHost
        /// The TLS handshake or certificate check failed.
        case tls
        /// No answer in time (connect, read or the whole request).
        case timedOut
        /// The connection broke off before the answer was complete.
        case connectionLost
        case other
    }

    public let url: String
    /// What went wrong, in plain words (`cannot connect to api.example.com:443: connection
    /// refused`), never a Swift type or case name.
    public let underlying: String
    public let kind: Kind

    public init(url: String, underlying: String, kind: Kind = .other) {
        self.url = url
        self.underlying = underlying
        self.kind = kind
    }

    /// Describes `error` (from AsyncHTTPClient, SwiftNIO or NIOSSL) in plain words, with what
    /// to check for the kinds of failure a user can fix; `limit`, when given, says what the
    /// request's time was limited by (`a timeout of 15s`).
    public init(url: String, error: any Error, limit: String? = nil) {
        let (kind, text) = Self.classify(error)
        self.init(url: url, underlying: text + Self.advice(kind, limit: limit), kind: kind)
    }

    /// A refused connection, an unknown host or a failed certificate check: another attempt
    /// within the same challenge would fail the same way.
    public var isPermanent: Bool { !isTransient }

    /// Worth another attempt: the same request may get through (a timeout, a dropped
    /// connection). A refused connection, an unknown host or a failed certificate check will
    /// fail the same way again, so callers give up at once.
    public var isTransient: Bool {
        switch kind {
        case .timedOut, .connectionLost, .other: true
        case .connectionRefused, .unknownHost, .tls: false
        }
    }

    public var description: String { "cannot reach \(APIRequest.hostOf(url)): \(underlying)" }

    public var plainMessage: String { description }
}

extension APIRequest {
    /// `https://host:port/path?q` → `host:port`.
    public static func hostOf(_ url: String) -> String {
        var rest = Substring(url)
        if let colon = rest.firstIndex(of: ":"), rest[colon...].hasPrefix("://") { rest = rest[rest.index(colon, offsetBy: 3)...] }
        if let slash = rest.firstIndex(where: { $0 == "/" || $0 == "?" }) { rest = rest[..<slash] }
        return String(rest)
    }

    /// The host of the URL without the port.
    public var host: String {
        let authority = Self.hostOf(url)
        if authority.hasPrefix("["), let close = authority.firstIndex(of: "]") { return String(authority[...close]) }
        return authority.split(separator: ":").first.map(String.init) ?? authority
    }
}
