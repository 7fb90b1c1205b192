import AsyncHTTPClient
import DNS01
import Foundation
import Logging
import NIOCore
import NIOFoundationCompat
import NIOHTTP1
import NIOSSL

/// The small slice of the Kubernetes API the webhook uses, over AsyncHTTPClient: GET, create
/// (POST), replace (PUT) and delete of JSON objects, and watch streams. The connection's CA and client
/// certificate travel as per-request TLS settings, so the client can share an `HTTPClient`
/// (by default the process-wide one, which needs no shutdown).
public struct KubernetesClient: Sendable {
    public let connection: KubernetesConnection
    private let http: HTTPClient
    private let tls: TLSConfiguration
    private let requestTimeout: Duration
    private let logger: Logger

    public init(connection: KubernetesConnection, http: HTTPClient = .shared, requestTimeout: Duration = .seconds(10), logger: Logger) {
        self.connection = connection
        self.http = http
        self.tls = connection.tlsConfiguration
        self.requestTimeout = requestTimeout
        self.logger = logger
    }

    /// `GET path` decoded as `Object`.
    public func get<Object: Decodable>(_ path: String, query: [(String, String)] = [], as _: Object.Type = Object.self) async throws(KubernetesError) -> Object {
        let (status, body) = try await send(.GET, path, query: query, body: nil)
        return try decode(Object.self, from: body, status: status, method: .GET, path: path)
    }

    /// `POST path` with `object` as JSON (a create), the answer decoded as `Answer`.
    public func create<Body: Encodable, Answer: Decodable>(_ path: String, _ object: Body, as _: Answer.Type = Answer.self) async throws(KubernetesError) -> Answer {
        let data: Data
        do {
            data = try JSONEncoder().encode(object)
        } catch {
            throw KubernetesError(.invalidResponse, "cannot encode the body of POST \(path): \(PlainErrorText.describe(error))")
        }
        let (status, body) = try await send(.POST, path, query: [], body: ByteBuffer(data: data))
        return try decode(Answer.self, from: body, status: status, method: .POST, path: path)
    }

    /// `PUT path` with `object` as JSON (a replace: the object's `metadata.resourceVersion` is
    /// the precondition, a stale one gets 409), the answer decoded as `Answer`.
    public func replace<Body: Encodable, Answer: Decodable>(_ path: String, _ object: Body, as _: Answer.Type = Answer.self) async throws(KubernetesError) -> Answer {
        let (status, body) = try await send(.PUT, path, query: [], body: try encode(object, for: "PUT \(path)"))
        return try decode(Answer.self, from: body, status: status, method: .PUT, path: path)
    }

    /// `DELETE path`, with `options` (a `DeleteOptions`, e.g. its preconditions) as the body
    /// when given; the answer (a Status or the deleted object) is not read.
    public func delete(_ path: String, options: (any Encodable & Sendable)? = nil) async throws(KubernetesError) {
        let payload = try options.map { options throws(KubernetesError) in try encode(options, for: "DELETE \(path)") }
        let (status, body) = try await send(.DELETE, path, query: [], body: payload)
        guard (200..<300).contains(status) else { throw httpError(status: status, body: body, method: .DELETE, path: path) }
    }

    private func encode(_ object: any Encodable, for request: String) throws(KubernetesError) -> ByteBuffer {
        do {
            return ByteBuffer(data: try JSONEncoder().encode(object))
        } catch {
            throw KubernetesError(.invalidResponse, "cannot encode the body of \(request): \(PlainErrorText.describe(error))")
        }
    }

    /// Streams a watch (`?watch=true`) and calls `onEvent` for each event until the server ends
    /// the stream (it does after `timeoutSeconds`) or `onEvent` throws.
    public func watch<Object: Decodable & Sendable>(
        _ path: String,
        query: [(String, String)],
        timeoutSeconds: Int,
        as _: Object.Type = Object.self,
        onEvent: (WatchEvent<Object>) async throws -> Void
    ) async throws {
        let response = try await execute(.GET, path, query: query + [("watch", "true"), ("timeoutSeconds", String(timeoutSeconds))], body: nil, timeout: .seconds(Int64(timeoutSeconds) + 30), what: "GET \(path) (watch)")
        guard (200..<300).contains(response.status.code) else {
            let body = (try? await response.body.collect(upTo: 1 << 20)) ?? ByteBuffer()
            throw httpError(status: Int(response.status.code), body: body, method: .GET, path: path)
        }
        var pending = ByteBuffer()
        let decoder = JSONDecoder()
        for try await chunk in response.body {
            var chunk = chunk
            pending.writeBuffer(&chunk)
            while let newline = pending.readableBytesView.firstIndex(of: UInt8(ascii: "\n")) {
                let length = newline - pending.readerIndex
                let line = pending.readSlice(length: length)!
                pending.moveReaderIndex(forwardBy: 1)
                guard line.readableBytes > 0 else { continue }
                let event: WatchEvent<Object>
                do {
                    event = try decoder.decode(WatchEvent<Object>.self, from: line)
                } catch {
                    // An ERROR event carries a Status, not an Object: report its message.
                    if let status = try? decoder.decode(WatchEvent<Status>.self, from: line), status.type == .error {
                        throw KubernetesError(.httpStatus, "watch \(path): \(status.object.message ?? "error event")", statusCode: status.object.code, status: status.object)
                    }
                    throw KubernetesError(.invalidResponse, "watch \(path): cannot decode an event: \(PlainErrorText.describe(error))")
                }
                try await onEvent(event)
            }
            pending.discardReadBytes()
        }
    }

    // MARK: Transport

    private func send(_ method: HTTPMethod, _ path: String, query: [(String, String)], body: ByteBuffer?) async throws(KubernetesError) -> (Int, ByteBuffer) {
        let response = try await execute(method, path, query: query, body: body, timeout: .nanoseconds(requestTimeout.nanosecondsClamped), what: "\(method) \(path)")
        do {
            let body = try await response.body.collect(upTo: 4 << 20)
            return (Int(response.status.code), body)
        } catch {
            throw KubernetesError(.unreachable, "\(method) \(path) on \(connection.server) failed: \(PlainErrorText.describe(error))")
        }
    }

    /// Sends one request. With an exec credential plugin, a 401 means the credential it gave
    /// is no longer accepted: the plugin runs again and the request is sent once more.
    private func execute(
        _ method: HTTPMethod, _ path: String, query: [(String, String)], body: ByteBuffer?, timeout: TimeAmount, what: String
    ) async throws(KubernetesError) -> HTTPClientResponse {
        var attempt = 0
        while true {
            attempt += 1
            let credential = try await connection.execCredential?.credential()
            let request = try makeRequest(method, path, query: query, body: body, credential: credential)
            let response: HTTPClientResponse
            do {
                response = try await http.execute(request, timeout: timeout, logger: logger)
            } catch {
                throw KubernetesError(.unreachable, "\(what) on \(connection.server) failed: \(PlainErrorText.describe(error))")
            }
            if response.status == .unauthorized, let credential, let source = connection.execCredential, attempt == 1 {
                logger.debug("The apiserver refused the exec plugin's credential; running the plugin again", metadata: ["path": "\(path)"])
                await source.invalidate(credential)
                continue
            }
            return response
        }
    }

    private func makeRequest(
        _ method: HTTPMethod, _ path: String, query: [(String, String)], body: ByteBuffer?, credential: ExecCredentialSource.Credential?
    ) throws(KubernetesError) -> HTTPClientRequest {
        var url = connection.server + path
        if !query.isEmpty {
            url += "?" + query.map { "\(Self.encodeQuery($0.0))=\(Self.encodeQuery($0.1))" }.joined(separator: "&")
        }
        var request = HTTPClientRequest(url: url)
        request.method = method
        request.tlsConfiguration = tls
        request.headers.add(name: "Accept", value: "application/json")
        request.headers.add(name: "User-Agent", value: "dns01-webhook")
        if let credential {
            if let key = credential.clientKey, !credential.clientCertificateChain.isEmpty {
                var tls = tls
                tls.certificateChain = credential.clientCertificateChain.map { .certificate($0) }
                tls.privateKey = .privateKey(key)
                request.tlsConfiguration = tls
            }
            if let token = credential.token {
                request.headers.add(name: "Authorization", value: "Bearer \(token.text)")
            }
        } else if let token = try connection.bearerToken?.token() {
            request.headers.add(name: "Authorization", value: "Bearer \(token.text)")
        }
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(body)
        }
        return request
    }

    private func decode<Object: Decodable>(_ type: Object.Type, from body: ByteBuffer, status: Int, method: HTTPMethod, path: String) throws(KubernetesError) -> Object {
        guard (200..<300).contains(status) else { throw httpError(status: status, body: body, method: method, path: path) }
        do {
            return try JSONDecoder().decode(Object.self, from: body)
        } catch {
            throw KubernetesError(.invalidResponse, "\(method) \(path): cannot decode the answer: \(PlainErrorText.describe(error))")
        }
    }

    private func httpError(status: Int, body: ByteBuffer, method: HTTPMethod, path: String) -> KubernetesError {
        let decoded = try? JSONDecoder().decode(Status.self, from: body)
        let detail = decoded?.message ?? String(buffer: body).prefix(200).trimmingCharacters(in: .whitespacesAndNewlines)
        return KubernetesError(.httpStatus, "\(method) \(path): \(status) \(detail)", statusCode: status, status: decoded)
    }

    private static func encodeQuery(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}

extension Duration {
    /// Whole nanoseconds, saturated to `Int64`.
    var nanosecondsClamped: Int64 {
        let (seconds, attoseconds) = components
        let (product, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        if overflow { return seconds < 0 ? .min : .max }
        return product &+ attoseconds / 1_000_000_000
    }
}
