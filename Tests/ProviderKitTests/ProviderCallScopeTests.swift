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

/// Provider requests reach the scope's recorder with the outcome the provider's judge gives.
@Suite("provider requests are counted per provider, operation and outcome")
struct ProviderRequestsTests {
    final class Recorder: ProviderRequestRecorder {
        let entries = Mutex<[String]>([])
        func providerRequest(provider: String, operation: String, outcome: ProviderRequestOutcome, duration: Duration) {
            entries.withLock { $0.append("\(provider) \(operation) \(outcome.rawValue)") }
        }
    }

    final class Answering: HTTPTransport {
        let statuses: [Int]
        let next = Mutex(0)
        init(statuses: [Int]) { self.statuses = statuses }
        func send(_ request: APIRequest, timeout: Duration) async throws -> APIResponse {
            let index = next.withLock { value in
                defer { value += 1 }
                return value
            }
            guard index < statuses.count else { throw TransportError(url: request.url, underlying: "connection refused", kind: .connectionRefused) }
            return APIResponse(status: statuses[index], body: Array(#"{"code":"Throttling.User"}"#.utf8))
        }
    }

    @Test("2xx is success, 429 throttled, a judge's own throttling answer throttled, others and network failures error")
    func outcomes() async throws {
        let recorder = Recorder()
        let scope = ProviderCallScope(budget: .seconds(10), recorder: recorder)
        scope.provider = "example"
        let transport = Answering(statuses: [200, 429, 400, 500])
        let request = APIRequest(method: "GET", url: "http://127.0.0.1:1/zones")
        try await scope.run {
            for _ in 0..<3 { _ = try await ProviderRequests.send(request, through: transport, timeout: .seconds(1), operation: "GET /zones") }
            // A provider whose throttling is a 400 with a code says so in its judge.
            _ = try await ProviderRequests.send(request, through: transport, timeout: .seconds(1), operation: "Describe") { _ in .throttled }
            await #expect(throws: TransportError.self) {
                try await ProviderRequests.send(request, through: transport, timeout: .seconds(1), operation: "Describe")
            }
            await #expect(throws: CancellationError.self) {
                try await ProviderRequests.measure("UPDATE") { throw CancellationError() }
            }
            try await ProviderRequests.measure("UPDATE") {}
        }
        #expect(
            recorder.entries.withLock { $0 } == [
                "example GET /zones success", "example GET /zones throttled", "example GET /zones error", "example Describe throttled",
                "example Describe error", "example UPDATE success",
            ])
    }

    @Test("outside a scope, or before the dispatcher chose a provider, requests go out uncounted")
    func uncounted() async throws {
        let recorder = Recorder()
        let transport = Answering(statuses: [200, 200])
        let request = APIRequest(method: "GET", url: "http://127.0.0.1:1/")
        _ = try await ProviderRequests.send(request, through: transport, timeout: .seconds(1), operation: "GET /")
        try await ProviderCallScope(budget: .seconds(10), recorder: recorder).run {
            _ = try await ProviderRequests.send(request, through: transport, timeout: .seconds(1), operation: "GET /")
        }
        #expect(recorder.entries.withLock { $0 }.isEmpty)
    }
}
