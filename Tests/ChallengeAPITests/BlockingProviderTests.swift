import DNS01
import Foundation
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
        options.plugins = [BlockingPlugin(state: provider)]
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
            // Every answer came while the provider still held its thread: it lets go only when
            // the test releases it (or after a minute, and then this fails).
            #expect(!provider.hasFinished, "answered only after the provider's thread was free again: \(answers)")
            #expect(answers.allSatisfy { $0.status == 200 }, "\(answers)")
            provider.release()

            let answer = try await blocked
            #expect(answer.challengeSucceeded == true, "\(answer.body)")
            #expect(provider.hasFinished)
            #expect(clock.now - started < .seconds(60))
        }
    }
}

/// Whether the blocking provider's Present is blocking its thread, or has finished.
private final class BlockingState: Sendable {
    private let blocking = Atomic(false)
    private let finished = Atomic(false)
    private let released = Atomic(false)

    var isBlocking: Bool { blocking.load(ordering: .sequentiallyConsistent) }
    var hasFinished: Bool { finished.load(ordering: .sequentiallyConsistent) }

    /// Blocks the calling thread (not just the task) until `release`, for a minute at most.
    func block() {
        blocking.store(true, ordering: .sequentiallyConsistent)
        for _ in 0..<6000 where !released.load(ordering: .sequentiallyConsistent) { usleep(10_000) }
        finished.store(true, ordering: .sequentiallyConsistent)
    }

    func release() { released.store(true, ordering: .sequentiallyConsistent) }
}

/// `blocking`: a provider whose Present blocks its thread until released; everything else does nothing.
private struct BlockingPlugin: ProviderPlugin {
    static let descriptor = ProviderDescriptor.forTests("blocking")
    let state: BlockingState

    func decodeConfiguration(_ block: ConfigValue, at path: ConfigPath, source: ConfigSource) throws(DNS01Error) -> Bool {
        try ConfigReader(block, at: path).finish()
        return true
    }

    func makeProvider(for configuration: Bool, context: ProviderContext) async throws -> any DNSProvider {
        BlockingProvider(state: state)
    }
}

private struct BlockingProvider: DNSProvider {
    let state: BlockingState

    func present(_ challenge: Challenge) async throws { state.block() }
    func cleanUp(_ challenge: Challenge) async throws {}
    func txtValues(at fqdn: DomainName, zone: DomainName?) async throws -> [String] { [] }
}
