import DNS01
import NIOCore
import NIOPosix
import ProviderKit
import Synchronization
import Testing

/// The challenge budget (`ProviderCallScope`) bounds the transport and the retry loop.
@Suite("a challenge's budget bounds provider requests and retries")
struct ProviderCallScopeTests {
    struct Retryable: Error {}

    @Test("the retry loop starts no retry that would end past the budget, whatever its own deadline")
    func retryStopsAtBudget() async throws {
        let attempts = Mutex(0)
        let policy = RetryPolicy(maximumAttempts: 1000, baseDelay: .milliseconds(50), maximumDelay: .milliseconds(50), deadline: .seconds(3600), jitter: { $0 })
        await #expect(throws: Retryable.self) {
            try await ProviderCallScope(budget: .milliseconds(300)).run {
                try await policy.run(shouldRetry: { _ in true }) { _ -> Int in
                    attempts.withLock { $0 += 1 }
                    throw Retryable()
                }
            }
        }
        // 300 ms of 50 ms waits: a handful of attempts, never the thousand allowed.
        #expect(attempts.withLock { $0 } < 10)
    }

    @Test("outside a scope the policy's own deadline rules, as before")
    func noScope() async throws {
        let attempts = Mutex(0)
        let policy = RetryPolicy(maximumAttempts: 4, baseDelay: .milliseconds(1), maximumDelay: .milliseconds(1), deadline: .seconds(3600), jitter: { $0 })
        await #expect(throws: Retryable.self) {
            try await policy.run(
                shouldRetry: { _ in true },
                { _ -> Int in
                    attempts.withLock { $0 += 1 }
                    throw Retryable()
                })
        }
        #expect(attempts.withLock { $0 } == 4)
    }

    @Test("a request's timeout is cut to the budget: a silent server is a timeout naming its address, with what to check")
    func transportClamped() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let silent = try await ServerBootstrap(group: group)
            .childChannelInitializer { _ in group.next().makeSucceededVoidFuture() }
            .bind(host: "127.0.0.1", port: 0).get()
        let port = try #require(silent.localAddress?.port)
        let error = await #expect(throws: TransportError.self) {
            try await ProviderCallScope(budget: .milliseconds(300)).run {
                try await AsyncHTTPClientTransport().send(APIRequest(method: "GET", url: "http://127.0.0.1:\(port)/"), timeout: .seconds(60))
            }
        }
        #expect(error?.kind == .timedOut)
        #expect(error?.plainMessage.hasPrefix("cannot reach 127.0.0.1:\(port): no answer in time") == true, "\(error?.plainMessage ?? "")")
        #expect(error?.plainMessage.contains("(the challenge's time budget of 300ms); check that the endpoint is right") == true, "\(error?.plainMessage ?? "")")
        try await silent.close()
        try await group.shutdownGracefully()
    }

    @Test("a spent budget fails the next request before it is sent")
    func spentBudget() async throws {
        let error = await #expect(throws: TransportError.self) {
            try await ProviderCallScope(budget: .zero).run {
                try await AsyncHTTPClientTransport().send(APIRequest(method: "GET", url: "http://127.0.0.1:1/"), timeout: .seconds(5))
            }
        }
        #expect(error?.kind == .timedOut)
        #expect(error?.plainMessage.contains("no time left") == true)
    }

    @Test("REST operation labels name the method and the path's fixed words, not its instances")
    func restOperation() {
        #expect(ProviderRequests.restOperation(method: "GET", path: "/zones/023e105f4ecef8ad9ca31a8372d0c353/dns_records?type=TXT") == "GET /zones/{}/dns_records")
        #expect(ProviderRequests.restOperation(method: "PUT", path: "/v2/domains/example.com/records/_acme-challenge.www/TXT") == "PUT /v2/domains/{}/records/{}/TXT")
        #expect(ProviderRequests.restOperation(method: "POST", path: "") == "POST /")
    }

    @Test("outcomes by status: 2xx success, 429 throttled, others error")
    func outcomes() {
        #expect(ProviderRequestOutcome(status: 204) == .success)
        #expect(ProviderRequestOutcome(status: 429) == .throttled)
        #expect(ProviderRequestOutcome(status: 401) == .error)
        #expect(ProviderRequestOutcome(status: 503) == .error)
    }
}
