import DNS01
import ProviderKit
import Route53Emulator
import Synchronization
import Testing

@testable import Route53Provider

@Suite("Route53 change batching (against the Route53 model)")
struct BatchingTests {
    static func emulator(_ configure: (inout Route53Emulator.Options) -> Void = { _ in }) -> Route53Emulator {
        var options = Route53Emulator.Options()
        options.requestsPerSecond = nil
        configure(&options)
        return Route53Emulator(options: options)
    }

    static func presentAll(_ plugin: Route53Plugin, _ challenges: [Challenge]) async -> [Result<Void, DNS01Error>] {
        await withTaskGroup(of: (Int, Result<Void, DNS01Error>).self) { group in
            for (index, challenge) in challenges.enumerated() {
                group.addTask {
                    do {
                        let provider = try await R53.provider(plugin)
                        switch challenge.action {
                        case .present: try await provider.present(challenge)
                        case .cleanUp: try await provider.cleanUp(challenge)
                        }
                        return (index, .success(()))
                    } catch {
                        return (index, .failure(DNS01Error.wrapping(error, context: "test")))
                    }
                }
            }
            var results = [Result<Void, DNS01Error>](repeating: .success(()), count: challenges.count)
            for await (index, result) in group { results[index] = result }
            return results
        }
    }

    @Test("1,200 concurrent presents on one zone land in a few calls, each within Route53's 1,000-record and 32,000-character limits")
    func coalesces() async throws {
        let emulator = Self.emulator()
        let zone = emulator.addZone("example.com")
        let challenges = try (0..<1200).map { try R53.challenge(.present, "_acme-challenge.n\($0 % 50).example.com", key: R53.key($0)) }
        let results = await Self.presentAll(R53.plugin(emulator), challenges)
        #expect(results.allSatisfy { if case .success = $0 { true } else { false } })
        #expect(emulator.recordSets(inZone: zone).count == 1200)
        let sizes = emulator.acceptedBatchSizes
        // An UPSERT of a 45-character quoted value counts 2 records and 90 characters.
        #expect(sizes.allSatisfy { $0 * 90 <= 32_000 && $0 * 2 <= 1000 })
        #expect(sizes.reduce(0, +) == 1200)
        // Four full batches is the minimum; how full the first one is depends on scheduling, so
        // bound the ratio instead: at most 0.01 calls per challenge (the goal is 0.05; without
        // coalescing it would be 1).
        #expect(emulator.calls("ChangeResourceRecordSets") <= 12, "sizes: \(sizes)")
    }

    @Test("a batch rejected because of one change is split: the others land, the one fails with its own reason")
    func splitsOnRejection() async throws {
        let emulator = Self.emulator()
        let zone = emulator.addZone("example.com")
        emulator.put(.init(name: "_acme-challenge.blocked.example.com.", values: ["\"simple\""]), inZone: zone)
        // Hold the zone with a first change so the rest queue up into one batch.
        var challenges = try (0..<30).map { try R53.challenge(.present, "_acme-challenge.ok\($0).example.com", key: R53.key($0)) }
        challenges.insert(try R53.challenge(.present, "_acme-challenge.blocked.example.com", key: "blocked-key"), at: 15)
        let results = await Self.presentAll(R53.plugin(emulator), challenges)
        for (index, result) in results.enumerated() {
            if index == 15 {
                guard case .failure(let error) = result else {
                    Issue.record("the blocked change succeeded")
                    continue
                }
                #expect(error.message.contains("SetIdentifier \"blocked-key\" cannot be created because a non multivalue answer rrset exists"))
                #expect(!error.message.contains("ok1"))
            } else {
                #expect((try? result.get()) != nil, "change \(index): \(result)")
            }
        }
        #expect(emulator.recordSets(inZone: zone).count == 31)
        let posts = emulator.requests.filter { $0.method == "POST" }.map { String(decoding: $0.body, as: UTF8.self) }
        #expect(posts.contains { $0.contains("blocked-key") && $0.contains("_acme-challenge.ok") }, "the blocked change was batched with others")
    }

    @Test(
        "cleanups of values already gone succeed inside a batch with real deletions",
        arguments: [Route53Emulator.ErrorShape.invalidChangeBatchMessages, .errorResponse])
    func deleteNotFoundInBatch(shape: Route53Emulator.ErrorShape) async throws {
        let emulator = Self.emulator { $0.errorShape = shape }
        let zone = emulator.addZone("example.com")
        for index in 0..<10 {
            emulator.put(.init(name: "_acme-challenge.example.com.", setIdentifier: "\"\(R53.key(index))\"", multiValue: true, ttl: 10, values: ["\"\(R53.key(index))\""]), inZone: zone)
        }
        let challenges = try (0..<16).map { try R53.challenge(.cleanUp, "_acme-challenge.example.com", key: R53.key($0)) }
        let results = await Self.presentAll(R53.plugin(emulator), challenges)
        #expect(results.allSatisfy { (try? $0.get()) != nil }, "\(results)")
        #expect(emulator.recordSets(inZone: zone).isEmpty)
    }

    @Test("a rejection that names no change halves the batch until the changes land")
    func halvesUnattributedRejection() async throws {
        let emulator = Self.emulator()
        let zone = emulator.addZone("example.com")
        let rejection = Route53Emulator.errorResponse(code: "InvalidChangeBatch", message: "Number of records limit of 1000 exceeded.")
        emulator.script("ChangeResourceRecordSets", [rejection, rejection])
        let challenges = try (0..<20).map { try R53.challenge(.present, "_acme-challenge.example.com", key: R53.key($0)) }
        let results = await Self.presentAll(R53.plugin(emulator), challenges)
        #expect(results.allSatisfy { (try? $0.get()) != nil }, "\(results)")
        #expect(emulator.recordSets(inZone: zone).count == 20)
        #expect(emulator.calls("ChangeResourceRecordSets") >= 3)
    }

    @Test("an UPSERT and a DELETE of the same set never share a batch, and apply in the order they were asked")
    func orderPerRecordSet() async throws {
        let batches = Mutex<[[String]]>([])
        let gate = OneShot<Void>()
        let batcher = ChangeBatcher()
        let send: ChangeBatcher.Send = { changes in
            let first = batches.withLock { batches in
                batches.append(changes.map { "\($0.action.rawValue) \($0.quotedValue)" })
                return batches.count == 1
            }
            if first { try await gate.value }
            return ChangeInfo(id: "C1", isInSync: true)
        }
        func change(_ action: TXTChange.Action, _ value: String) -> TXTChange {
            TXTChange(action: action, name: "_acme-challenge.example.com.", quotedValue: "\"\(value)\"", setIdentifier: "\"\(value)\"")
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            let ordered = [change(.upsert, "hold"), change(.upsert, "x"), change(.delete, "x"), change(.upsert, "x"), change(.upsert, "y"), change(.upsert, "y")]
            for (index, item) in ordered.enumerated() {
                group.addTask { _ = try await batcher.apply(item, send: send) }
                // Queue in a known order while the first batch is held.
                while batcher.queuedChangeCount < index { await Task.yield() }
                if index == 0 { while batches.withLock({ $0.isEmpty }) { await Task.yield() } }
            }
            while batcher.queuedChangeCount < ordered.count - 1 { await Task.yield() }
            gate.resolve(.success(()))
            try await group.waitForAll()
        }
        #expect(
            batches.withLock { $0 } == [
                ["UPSERT \"hold\""],
                ["UPSERT \"x\"", "UPSERT \"y\""],
                ["DELETE \"x\""],
                ["UPSERT \"x\""],
            ])
    }
}

@Suite("Route53 throttling and retries (against the Route53 model)")
struct ThrottlingTests {
    @Test("Throttling and PriorRequestNotComplete are retried with capped, growing backoff until the change lands")
    func retries() async throws {
        var options = Route53Emulator.Options()
        options.requestsPerSecond = nil
        let emulator = Route53Emulator(options: options)
        let zone = emulator.addZone("example.com")
        emulator.script(
            "ChangeResourceRecordSets",
            [
                Route53Emulator.errorResponse(code: "Throttling", message: "Rate exceeded"),
                Route53Emulator.errorResponse(code: "PriorRequestNotComplete", message: "The request was rejected because Route 53 was still processing a prior request."),
                Route53Emulator.errorResponse(code: "Throttling", message: "Rate exceeded"),
                Route53Emulator.errorResponse(code: "Throttling", message: "Rate exceeded"),
            ])
        let delays = DelayLog()
        let provider = try await R53.provider(R53.plugin(emulator, retry: R53.fastRetry(sleeps: delays)))
        try await provider.present(R53.challenge(.present, "_acme-challenge.example.com", key: "k"))
        #expect(emulator.txtValues(at: "_acme-challenge.example.com.", inZone: zone) == ["\"k\""])
        #expect(emulator.calls("ChangeResourceRecordSets") == 5)
        let slept = delays.all
        #expect(slept.count == 4)
        // Full jitter under caps of 2, 4, 8, 16 ms.
        for (index, delay) in slept.enumerated() { #expect(delay <= .milliseconds(2 << index)) }
    }

    @Test("every try is counted for the metrics: Throttling and PriorRequestNotComplete as throttled, the change that lands as success")
    func countedPerTry() async throws {
        var options = Route53Emulator.Options()
        options.requestsPerSecond = nil
        let emulator = Route53Emulator(options: options)
        emulator.addZone("example.com")
        emulator.script(
            "ChangeResourceRecordSets",
            [
                Route53Emulator.errorResponse(code: "Throttling", message: "Rate exceeded"),
                Route53Emulator.errorResponse(code: "PriorRequestNotComplete", message: "still processing"),
                Route53Emulator.errorResponse(code: "InternalFailure", message: "An internal error occurred", status: 500),
            ])
        final class Recorder: ProviderRequestRecorder {
            let entries = Mutex<[String]>([])
            func providerRequest(provider: String, operation: String, outcome: ProviderRequestOutcome, duration: Duration) {
                entries.withLock { $0.append("\(provider) \(operation) \(outcome.rawValue)") }
            }
        }
        let recorder = Recorder()
        let scope = ProviderCallScope(budget: .seconds(20), recorder: recorder)
        scope.provider = "route53"
        let provider = try await R53.provider(R53.plugin(emulator, retry: R53.fastRetry(sleeps: DelayLog())))
        try await scope.run { try await provider.present(R53.challenge(.present, "_acme-challenge.example.com", key: "k")) }
        #expect(
            recorder.entries.withLock { $0 }.filter { $0.contains("ChangeResourceRecordSets") } == [
                "route53 ChangeResourceRecordSets throttled", "route53 ChangeResourceRecordSets throttled",
                "route53 ChangeResourceRecordSets error", "route53 ChangeResourceRecordSets success",
            ])
    }

    @Test("a zone that stays busy gives up at the deadline with a stable message")
    func givesUp() async throws {
        var options = Route53Emulator.Options()
        options.requestsPerSecond = nil
        let emulator = Route53Emulator(options: options)
        emulator.addZone("example.com")
        emulator.script("ChangeResourceRecordSets", Array(repeating: Route53Emulator.errorResponse(code: "Throttling", message: "Rate exceeded"), count: 100))
        let plugin = R53.plugin(emulator, retry: R53.fastRetry(attempts: 100, deadline: .milliseconds(150)))
        var messages: Set<String> = []
        for _ in 0..<2 {
            let provider = try await R53.provider(plugin)
            let error = try await #require(throws: DNS01Error.self) {
                try await provider.present(R53.challenge(.present, "_acme-challenge.example.com", key: "k"))
            }
            #expect(error.code == .providerUnavailable)
            messages.insert(error.message)
        }
        #expect(messages == ["route53: failed to change Route 53 record set: ChangeResourceRecordSets: Throttling: Rate exceeded"])
    }

    @Test("under a real 5 requests/s limit with a zone busy after each change, 300 concurrent presents all land")
    func underTheRealLimit() async throws {
        var options = Route53Emulator.Options()
        options.requestsPerSecond = 5
        options.burst = 5
        options.zoneBusyAfterChange = .milliseconds(100)
        let emulator = Route53Emulator(options: options)
        let zone = emulator.addZone("example.com")
        let plugin = R53.plugin(emulator, retry: RetryPolicy(maximumAttempts: 20, baseDelay: .milliseconds(50), maximumDelay: .milliseconds(800), deadline: .seconds(20)), pacing: 4)
        let challenges = try (0..<300).map { try R53.challenge(.present, "_acme-challenge.example.com", key: R53.key($0)) }
        let results = await BatchingTests.presentAll(plugin, challenges)
        #expect(results.allSatisfy { (try? $0.get()) != nil })
        #expect(emulator.recordSets(inZone: zone).count == 300)
        #expect(emulator.acceptedBatchSizes.count <= 4)
        #expect(emulator.throttledCount == 0, "client-side pacing keeps under the account limit")
    }
}
