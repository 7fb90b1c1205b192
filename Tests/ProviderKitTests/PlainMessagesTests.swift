import DNS01
import Foundation
import NIOCore
import NIOPosix
import ProviderKit
import TestSupport
import Testing

/// Failures made to happen for real, and the sentences users get for them: never a Swift type
/// or case name, never errno soup.
@Suite("plain messages for real network failures", .serialized)
struct PlainMessagesTests {
    /// What makes a message read like code rather than a sentence.
    static func codeLike(_ message: String) -> String? {
        let patterns = [
            #"[A-Z][A-Za-z0-9]*Error\b"#, #"\b[A-Z][A-Za-z0-9]+\.[a-z][A-Za-z0-9]+\b"#, #"errno"#, #"\(error set\)"#,
            #"Optional\("#, #"Domain="#, #"NSCocoa"#, #"\b[a-z]+[A-Z][a-zA-Z]+\("#,
        ]
        return patterns.first { message.range(of: $0, options: .regularExpression) != nil }
    }

    func failure(_ url: String, timeout: Duration = .seconds(3)) async -> String {
        do {
            _ = try await AsyncHTTPClientTransport().send(APIRequest(method: "GET", url: url), timeout: timeout)
            return "no failure"
        } catch {
            return PlainErrorText.describe(error)
        }
    }

    @Test("connection refused")
    func refused() async {
        let message = await failure("http://127.0.0.1:1/")
        #expect(message.contains("connection refused"), "\(message)")
        #expect(Self.codeLike(message) == nil, "\(message)")
    }

    @Test("unknown host")
    func unknownHost() async {
        let message = await failure("https://no-such-host.invalid/")
        #expect(message.contains("unknown host") || message.contains("cannot reach"), "\(message)")
        #expect(Self.codeLike(message) == nil, "\(message)")
    }

    @Test("TLS to a server that speaks plain HTTP, and a server that never answers")
    func tlsAndSilence() async throws {
        // A listener that accepts and never writes: TLS gets no handshake, HTTP no answer.
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let channel = try await ServerBootstrap(group: group)
            .childChannelInitializer { _ in group.next().makeSucceededVoidFuture() }
            .bind(host: "127.0.0.1", port: 0).get()
        let port = try #require(channel.localAddress?.port)
        let silent = await failure("http://127.0.0.1:\(port)/", timeout: .milliseconds(500))
        #expect(silent.contains("no answer in time"), "\(silent)")
        #expect(Self.codeLike(silent) == nil, "\(silent)")
        let tls = await failure("https://127.0.0.1:\(port)/", timeout: .milliseconds(500))
        #expect(Self.codeLike(tls) == nil, "\(tls)")
        try await channel.close()
        try await group.shutdownGracefully()
    }

    @Test(
        "library error descriptions become sentences",
        arguments: [
            ("HTTPClientError.deadlineExceeded", "no answer in time"),
            ("HTTPClientError.connectTimeout", "no connection could be made in time"),
            ("SocketAddressError.UnknownHost(name: \"x\", port: 443)", "unknown host"),
            ("NIOSSLError.failedToLoadPrivateKey", "cannot read the private key"),
            ("NIOSSLError.handshakeFailed(BoringSSLError.sslError([Error: 268435581 error:1000007d:SSL routines:OPENSSL_internal:CERTIFICATE_VERIFY_FAILED]))", "the TLS handshake failed"),
            ("connection reset (error set): Connection refused (errno: 111)", "connection refused"),
            ("HTTPClientError.remoteConnectionClosed", "the connection was closed before an answer"),
        ])
    func translations(dump: String, sentence: String) {
        struct Dumped: Error, CustomStringConvertible { let description: String }
        let message = PlainErrorText.describe(Dumped(description: dump))
        #expect(message.hasPrefix(sentence), "\(message)")
        #expect(Self.codeLike(message) == nil)
    }

    @Test("an unknown dump is scrubbed of type names; a sentence is kept")
    func fallback() {
        struct Dumped: Error, CustomStringConvertible { let description: String }
        let scrubbed = PlainErrorText.describe(Dumped(description: "SomeLibraryError.weirdCase(detail: 42)"))
        #expect(Self.codeLike(scrubbed) == nil, "\(scrubbed)")
        #expect(PlainErrorText.describe(Dumped(description: "the zone is locked by another change")) == "the zone is locked by another change")
    }
}
