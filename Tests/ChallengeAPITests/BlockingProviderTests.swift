import DNS01
import Foundation
import NIOCore
import NIOPosix
import NIOSSL
import ServerTestSupport
import Synchronization
import TestSupport
import Testing

/// Provider calls run off the server's event loops: a provider that blocks its thread (a
/// synchronous file read, a blocking DNS lookup) holds up its own answer and nothing else.
@Suite("A blocking provider")
struct BlockingProviderTests {
    @Test("a Present that blocks its thread holds up only its own answer: health, discovery and metrics on other connections of the server's one event loop are answered meanwhile")
    func blockingPresent() async throws {
        let provider = BlockingState()
        var options = ServerOptions.flagsOnly
        // One event loop: every connection shares the thread a provider call would block if it
        // ran there.
        options.eventLoopThreads = 1
        // Blocked until the test releases it (a minute at most), so a slow machine cannot let
        // it finish before the other answers arrive.
        options.plugins = [BlockingPlugin(state: provider, seconds: 60)]
        try await withWebhookServer(options) { server in
            let clock = ContinuousClock()
            let started = clock.now
            async let blocked = send(.POST, server.url + "/apis/acme.example.com/v1alpha1/blocking", as: .alice, body: challengePayload(config: nil))
            try #require(await eventually(timeout: .seconds(10)) { provider.isBlocking })

            var answers: [(path: String, status: Int, took: Duration)] = []
            for path in ["/healthz", "/readyz", "/apis/acme.example.com/v1alpha1", "/metrics"] {
                let sent = clock.now
                let answer = try await send(.GET, server.url + path, as: .alice)
                answers.append((path, answer.status, clock.now - sent))
            }
            // Every answer came while the provider still held its thread.
            #expect(!provider.hasFinished, "answered only after the provider's thread was free again: \(answers)")
            #expect(answers.allSatisfy { $0.status == 200 }, "\(answers)")
            provider.release()

            let answer = try await blocked
            #expect(answer.challengeSucceeded == true, "\(answer.body)")
            #expect(provider.hasFinished)
            #expect(clock.now - started < .seconds(60))
        }
    }

    @Test("with more blocking Presents than the global pool has threads, every one is answered at the request deadline while they still block, and those that never got a thread never call the provider")
    func saturatedPool() async throws {
        // Blocking every thread of the process's pool on purpose stalls every test running
        // beside this one (their deadlines fire seconds late).
        guard try await ownTestProcess("BlockingProviderTests/saturatedPool") else { return }
        let provider = BlockingState()
        var options = ServerOptions.flagsOnly
        options.requestTimeout = .milliseconds(500)
        options.plugins = [BlockingPlugin(state: provider, seconds: 5)]
        // The pool has one thread per core.
        let requests = 2 * ProcessInfo.processInfo.activeProcessorCount
        try await withWebhookServer(options) { server in
            // Sent and read on NIO's threads with callbacks: this test's own tasks need the same
            // pool, so they learn the outcome late, but the answers are stamped as they arrive.
            let body = challengePayload(config: nil)
            let request = "POST /apis/acme.example.com/v1alpha1/blocking HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)"
            let exchanges = try (0..<requests).map { _ in
                try stampedExchange(port: server.port, sending: request) { provider.hasFinished }
            }
            for exchange in exchanges {
                let (answer, providerHadFinished) = try await exchange.get()
                #expect(!providerHadFinished, "answered only once a provider returned: \(answer)")
                #expect(answer.contains("did not finish within the webhook's --request-timeout"), "\(answer)")
            }
            // Leave no thread of the pool blocked for the tests that follow.
            let drained = await eventually(timeout: .seconds(30)) {
                try? await Task.sleep(for: .milliseconds(200))
                return provider.hasFinished && provider.allFinished
            }
            #expect(drained)
            #expect(provider.startedCount < requests, "every request got a thread, so the pool was not saturated and this proved nothing")
        }
    }
}

@Suite("A test in its own test process")
struct OwnTestProcessTests {
    @Test("naming a test that does not exist is an issue, not a silent pass")
    func missingTestIsAnIssue() async throws {
        await withKnownIssue("no test matches, so the started process runs none") {
            _ = try await ownTestProcess("OwnTestProcessTests/noSuchTest")
        }
    }
}

/// Sends `request` on a new TLS connection as alice and reads the answer until the server
/// closes, all in NIO channel handlers (no Swift task involved), and gives the answer with
/// what `stamp` said the moment it had arrived whole.
private func stampedExchange(port: Int, sending request: String, stamp: @escaping @Sendable () -> Bool) throws -> EventLoopFuture<(String, Bool)> {
    let context = try NIOSSLContext(configuration: ClientIdentity.alice.tlsConfiguration())
    let loop = MultiThreadedEventLoopGroup.singleton.next()
    let answered = loop.makePromise(of: (String, Bool).self)
    ClientBootstrap(group: loop)
        .channelInitializer { channel in
            channel.eventLoop.makeCompletedFuture {
                try channel.pipeline.syncOperations.addHandler(NIOSSLClientHandler(context: context, serverHostname: "localhost"))
                try channel.pipeline.syncOperations.addHandler(StampingHandler(request: request, stamp: stamp, answered: answered))
            }
        }
        .connect(host: "127.0.0.1", port: port)
        .whenFailure { answered.fail($0) }
    return answered.futureResult
}

private final class StampingHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let request: String
    private let stamp: @Sendable () -> Bool
    private let answered: EventLoopPromise<(String, Bool)>
    private var text = ""
    private var done = false

    init(request: String, stamp: @escaping @Sendable () -> Bool, answered: EventLoopPromise<(String, Bool)>) {
        self.request = request
        self.stamp = stamp
        self.answered = answered
    }

    func channelActive(context: ChannelHandlerContext) {
        context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: request)), promise: nil)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        text += String(buffer: unwrapInboundIn(data))
        // Whole once the body has its Content-Length.
        guard let split = text.range(of: "\r\n\r\n"),
            let length = text[..<split.lowerBound].split(separator: "\r\n").first(where: { $0.lowercased().hasPrefix("content-length:") })
                .flatMap({ Int($0.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) }),
            text[split.upperBound...].utf8.count >= length
        else { return }
        finish()
    }

    func channelInactive(context: ChannelHandlerContext) {
        finish()
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if !done {
            done = true
            answered.fail(error)
        }
        context.close(promise: nil)
    }

    private func finish() {
        guard !done else { return }
        done = true
        answered.succeed((text, stamp()))
    }
}

/// How many of the blocking provider's Presents have started blocking their thread, and how
/// many have finished.
private final class BlockingState: Sendable {
    private let started = Atomic(0)
    private let finished = Atomic(0)
    private let released = Atomic(false)

    var isBlocking: Bool { started.load(ordering: .sequentiallyConsistent) > 0 }
    var hasFinished: Bool { finished.load(ordering: .sequentiallyConsistent) > 0 }
    var allFinished: Bool { finished.load(ordering: .sequentiallyConsistent) == started.load(ordering: .sequentiallyConsistent) }
    var startedCount: Int { started.load(ordering: .sequentiallyConsistent) }

    /// Blocks the calling thread (not just the task) for `seconds`, or until `release`.
    func block(seconds: UInt32) {
        started.add(1, ordering: .sequentiallyConsistent)
        for _ in 0..<(Int(seconds) * 100) where !released.load(ordering: .sequentiallyConsistent) { usleep(10_000) }
        finished.add(1, ordering: .sequentiallyConsistent)
    }

    func release() { released.store(true, ordering: .sequentiallyConsistent) }
}

/// `blocking`: a provider whose Present blocks its thread for `seconds`; everything else does
/// nothing.
private struct BlockingPlugin: ProviderPlugin {
    static let descriptor = ProviderDescriptor.forTests("blocking")
    let state: BlockingState
    var seconds: UInt32 = 2

    func decodeConfiguration(_ block: ConfigValue, at path: ConfigPath, source: ConfigSource) throws(DNS01Error) -> Bool {
        try ConfigReader(block, at: path).finish()
        return true
    }

    func makeProvider(for configuration: Bool, context: ProviderContext) async throws -> any DNSProvider {
        BlockingProvider(state: state, seconds: seconds)
    }
}

private struct BlockingProvider: DNSProvider {
    let state: BlockingState
    let seconds: UInt32

    func present(_ challenge: Challenge) async throws { state.block(seconds: seconds) }
    func cleanUp(_ challenge: Challenge) async throws {}
    func txtValues(at fqdn: DomainName, zone: DomainName?) async throws -> [String] { [] }
}
