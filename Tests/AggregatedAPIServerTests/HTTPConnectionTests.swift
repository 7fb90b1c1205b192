import DNS01
import ServerTestSupport
import TestSupport
import Testing

/// The server's HTTP/1.1 connection handling, driven with raw bytes over TLS: what client
/// libraries never send (pipelined requests, half a request, garbage) and the connection
/// lifecycle (keep-alive, `Connection: close`, idle timeout).
@Suite("HTTP/1.1 connections")
struct HTTPConnectionTests {
    private static func request(_ method: String, _ path: String, body: String? = nil, headers: String = "") -> String {
        let length = body.map { "Content-Length: \($0.utf8.count)\r\n" } ?? ""
        return "\(method) \(path) HTTP/1.1\r\nHost: localhost\r\n\(headers)\(length)\r\n\(body ?? "")"
    }

    @Test("pipelined requests in one write are all answered, in order, on the one connection")
    func pipelined() async throws {
        try await withWebhookServer(.flagsOnly) { server in
            let payload = challengePayload(dnsName: "pipelined.example.com", key: "in-order")
            let requests =
                Self.request("GET", "/healthz")
                + Self.request("POST", "/apis/acme.example.com/v1alpha1/memory", body: payload)
                + Self.request("GET", "/livez?verbose")
                + Self.request("GET", "/apis/acme.example.com/v1alpha1/nosuchsolver")
            let exchange = try await rawExchange(port: server.port, sending: requests) { text in
                text.contains("livez check passed") && text.hasSuffix("}")
                    && text.components(separatedBy: "HTTP/1.1 ").count == 5
            }
            #expect(exchange.statusLines.map { $0.split(separator: " ")[1] } == ["200", "201", "200", "404"], "\(exchange.text)")
            let created = try #require(exchange.text.range(of: "\"success\":true"))
            let verbose = try #require(exchange.text.range(of: "[+]ping ok"))
            let notFound = try #require(exchange.text.range(of: "nosuchsolver"))
            #expect(created.lowerBound < verbose.lowerBound && verbose.lowerBound < notFound.lowerBound)
            #expect(server.records.values(at: try DomainName("_acme-challenge.pipelined.example.com")) == ["in-order"])
        }
    }

    @Test("Expect: 100-continue gets 100 Continue before the answer; over the limit it gets 413 instead")
    func expectContinue() async throws {
        try await withWebhookServer(.flagsOnly) { server in
            let payload = challengePayload(dnsName: "continue.example.com", key: "after-100")
            let exchange = try await rawExchange(port: server.port, sending: Self.request("POST", "/apis/acme.example.com/v1alpha1/memory", body: payload, headers: "Expect: 100-continue\r\n")) { text in
                text.hasSuffix("}")
            }
            #expect(exchange.statusLines == ["HTTP/1.1 100 Continue", "HTTP/1.1 201 Created"], "\(exchange.text)")
            #expect(server.records.values(at: try DomainName("_acme-challenge.continue.example.com")) == ["after-100"])

            let tooLarge = try await rawExchange(port: server.port, sending: "POST /apis/acme.example.com/v1alpha1/memory HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 2000000\r\n\r\n")
            #expect(tooLarge.statusLines == ["HTTP/1.1 413 Payload Too Large"], "\(tooLarge.text)")
            #expect(tooLarge.closedByServer)
        }
    }

    @Test("HEAD gets the headers and no body; the connection stays usable")
    func head() async throws {
        try await withWebhookServer(.flagsOnly) { server in
            let exchange = try await rawExchange(port: server.port, sending: Self.request("HEAD", "/healthz") + Self.request("GET", "/readyz")) { text in
                text.components(separatedBy: "HTTP/1.1 ").count == 3 && text.hasSuffix("ok")
            }
            // The second status line follows the first response's headers directly.
            let responses = exchange.text.components(separatedBy: "HTTP/1.1 ").dropFirst().map { $0 }
            #expect(responses.count == 2)
            #expect(responses.first?.lowercased().contains("content-length: 2\r\n") == true)
            #expect(responses.first?.hasSuffix("\r\n\r\n") == true, "HEAD answered with a body: \(exchange.text)")
            #expect(!exchange.closedByServer)
        }
    }

    @Test("a request with Connection: close is answered with Connection: close, then the server closes")
    func connectionClose() async throws {
        try await withWebhookServer(.flagsOnly) { server in
            let exchange = try await rawExchange(port: server.port, sending: Self.request("GET", "/healthz", headers: "Connection: close\r\n"))
            #expect(exchange.closedByServer)
            #expect(exchange.statusLines == ["HTTP/1.1 200 OK"])
            #expect(exchange.text.lowercased().contains("connection: close\r\n"))
        }
    }

    @Test("bytes that are not HTTP get 400 and the connection is closed; the server keeps serving")
    func garbage() async throws {
        try await withWebhookServer(.flagsOnly) { server in
            let exchange = try await rawExchange(port: server.port, sending: "\u{1}\u{2} NOT HTTP AT ALL\r\n\r\n")
            #expect(exchange.closedByServer)
            #expect(exchange.statusLines.first?.hasPrefix("HTTP/1.1 400") == true, "\(exchange.text)")
            let next = try await send(.GET, server.url + "/apis/acme.example.com/v1alpha1", as: .alice)
            #expect(next.status == 200)
        }
    }

    @Test("an idle connection, and one that stops half-way through a request, are closed after the idle timeout")
    func idleTimeout() async throws {
        var options = ServerOptions.flagsOnly
        // Long enough for a TLS handshake and a write on a loaded machine: a connection closed
        // before the client could write would prove nothing about the half-way one.
        options.idleTimeout = .seconds(1)
        try await withWebhookServer(options) { server in
            // Closed by the idle timer (1 s): the exchange would throw at its own timeout (10 s).
            let silent = try await rawExchange(port: server.port, sending: "")
            #expect(silent.closedByServer && silent.text.isEmpty)
            let halfway = try await rawExchange(port: server.port, sending: "POST /apis/acme.example.com/v1alpha1/memory HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{\"req")
            #expect(halfway.closedByServer && halfway.text.isEmpty)
        }
    }

    @Test("a request trickled in byte by byte is cut off at the request read timeout, although the idle timer keeps being reset", .timeLimit(.minutes(1)))
    func trickledRequest() async throws {
        var options = ServerOptions.flagsOnly
        options.requestReadTimeout = .milliseconds(400)
        try await withWebhookServer(options) { server in
            let request = Self.request("GET", "/apis/acme.example.com/v1alpha1", headers: "X-Padding: \(String(repeating: "p", count: 40))\r\n")
            let (closedAfter, answered) = try await trickle(port: server.port, sending: request, interval: .milliseconds(50))
            // About 400 ms at 50 ms a byte: closed after roughly 8-12 bytes, well before the
            // ~100-byte request is complete, and never answered.
            let bytes = try #require(closedAfter, "the trickling client was never cut off")
            #expect(bytes < request.utf8.count / 2)
            #expect(!answered)
            // A prompt client on the same server is unaffected.
            #expect(try await send(.GET, server.url + "/apis/acme.example.com/v1alpha1", as: .alice).status == 200)
        }
    }

    @Test("a request answered slower than the idle timeout is still answered")
    func slowAnswerOutlivesIdleTimeout() async throws {
        var options = ServerOptions.flagsOnly
        options.idleTimeout = .seconds(1)
        options.defaultConfig = .object(["memory": .object(["latency": .string("2500ms")])])
        try await withWebhookServer(options) { server in
            let exchange = try await rawExchange(port: server.port, sending: Self.request("POST", "/apis/acme.example.com/v1alpha1/dispatch", body: challengePayload(key: "slow", config: nil))) { text in
                text.hasSuffix("}")
            }
            #expect(exchange.statusLines == ["HTTP/1.1 201 Created"])
            #expect(exchange.text.contains("\"success\":true"))
        }
    }
}
