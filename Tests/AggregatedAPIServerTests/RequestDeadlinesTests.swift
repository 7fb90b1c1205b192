import Foundation
import NIOPosix
import Synchronization
import Testing

@testable import AggregatedAPIServer

@Suite("Request deadlines")
struct RequestDeadlinesTests {
    @Test("work that finishes in time gives its value, and leaves no deadline behind")
    func finishesInTime() async {
        let deadlines = RequestDeadlines(timeout: .seconds(30))
        let outcome = await deadlines.run { 42 }
        guard case .finished(let value) = outcome else {
            Issue.record("expected the value, got \(outcome)")
            return
        }
        #expect(value == 42)
        #expect(deadlines.pendingCount == 0)
    }

    @Test("a request on its connection's event loop runs its work off the event loops, and resumes on its loop")
    func workRunsOffTheEventLoops() async {
        let loop = MultiThreadedEventLoopGroup.singleton.next()
        let deadlines = RequestDeadlines(timeout: .seconds(30))
        let (workOnALoop, resumedOnItsLoop) = await Task(executorPreference: EventLoopTaskExecutor(eventLoop: loop)) {
            let outcome = await deadlines.run { MultiThreadedEventLoopGroup.currentEventLoop != nil }
            guard case .finished(let onLoop) = outcome else { return (true, false) }
            return (onLoop, loop.inEventLoop)
        }.value
        #expect(!workOnALoop)
        #expect(resumedOnItsLoop)
    }

    @Test("work that ignores cancellation is answered at the deadline, not waited for")
    func answersAtDeadline() async throws {
        let deadlines = RequestDeadlines(timeout: .milliseconds(200))
        let release = Mutex(false)
        let clock = ContinuousClock()
        let started = clock.now
        let outcome = await deadlines.run { () -> Int in
            // A provider stuck somewhere that does not honour cancellation.
            while !release.withLock({ $0 }) { usleep(1000) }
            return 1
        }
        let elapsed = clock.now - started
        // The work ends only now, after the answer: the answer cannot have waited for it.
        release.withLock { $0 = true }
        guard case .timedOut = outcome else {
            Issue.record("expected a timeout, got \(outcome)")
            return
        }
        #expect(elapsed >= .milliseconds(200))
        #expect(deadlines.pendingCount == 0)
    }

    @Test("at the deadline the work is cancelled")
    func cancelsWork() async throws {
        let deadlines = RequestDeadlines(timeout: .milliseconds(100))
        let sawCancellation = Mutex(false)
        let outcome = await deadlines.run { () -> Int in
            do {
                try await Task.sleep(for: .seconds(30))
            } catch {
                sawCancellation.withLock { $0 = true }
            }
            return 0
        }
        guard case .timedOut = outcome else {
            Issue.record("expected a timeout, got \(outcome)")
            return
        }
        #expect(try await becomesTrue(sawCancellation))
    }

    @Test("a cancelled request is answered at once and its work cancelled")
    func requestCancelled() async throws {
        let deadlines = RequestDeadlines(timeout: .seconds(30))
        let work = GatedWork()
        let request = Task {
            await deadlines.run { await work.run() }
        }
        try await Task.sleep(for: .milliseconds(50))
        request.cancel()
        let outcome = await request.value
        // The work ends only once the gate opens, after the answer: the answer did not wait for it.
        work.open()
        guard case .timedOut = outcome else {
            Issue.record("expected the cancelled request to end as timed out, got \(outcome)")
            return
        }
        #expect(deadlines.pendingCount == 0)
        #expect(try await becomesTrue(work.sawCancellation))
    }

    @Test("on a connection, cancelling the connection answers its request at once and cancels the work")
    func connectionCancelled() async throws {
        let deadlines = RequestDeadlines(timeout: .seconds(30))
        let connection = ConnectionCancellation()
        let work = GatedWork()
        let request = Task {
            await ConnectionCancellation.$current.withValue(connection) {
                await deadlines.run { await work.run() }
            }
        }
        try await Task.sleep(for: .milliseconds(50))
        connection.cancel()
        let outcome = await request.value
        work.open()
        guard case .timedOut = outcome else {
            Issue.record("expected the request to end when its connection was cancelled")
            return
        }
        #expect(try await becomesTrue(work.sawCancellation))
        // A connection cancelled before its next request starts: that request ends at once.
        let next = await ConnectionCancellation.$current.withValue(connection) {
            await deadlines.run { () -> Bool in (try? await Task.sleep(for: .seconds(30))) != nil }
        }
        guard case .timedOut = next else {
            Issue.record("expected a request on a cancelled connection to end at once")
            return
        }
    }

    @Test("thousands of concurrent requests, fast and slow, each get their own answer")
    func manyConcurrent() async {
        // A deadline long enough for 2,700 trivial answers on a loaded machine.
        let deadlines = RequestDeadlines(timeout: .seconds(5))
        let results = await withTaskGroup(of: (Int, DeadlineOutcome<Int>).self) { group in
            for index in 0..<3000 {
                group.addTask {
                    let outcome = await deadlines.run { () -> Int in
                        // Every tenth request outlives the deadline.
                        if index % 10 == 0 { try? await Task.sleep(for: .seconds(60)) }
                        return index
                    }
                    return (index, outcome)
                }
            }
            return await group.reduce(into: [:]) { $0[$1.0] = $1.1 }
        }
        #expect(results.count == 3000)
        for (index, outcome) in results {
            switch outcome {
            case .finished(let value):
                #expect(value == index && index % 10 != 0)
            case .timedOut:
                #expect(index % 10 == 0)
            }
        }
        #expect(deadlines.pendingCount == 0)
    }
}

/// Whether `flag` is set within ten seconds (the work's cancellation lands on another task).
private func becomesTrue(_ flag: borrowing Mutex<Bool>) async throws -> Bool {
    for _ in 0..<1000 where !flag.withLock({ $0 }) {
        try await Task.sleep(for: .milliseconds(10))
    }
    return flag.withLock { $0 }
}

/// Work that ignores cancellation, records it, and ends only when the test opens its gate.
private final class GatedWork: Sendable {
    let sawCancellation = Mutex(false)
    private let gate = Mutex<(open: Bool, waiter: CheckedContinuation<Void, Never>?)>((false, nil))

    func run() async -> Bool {
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let resumeNow = gate.withLock { state -> Bool in
                    if state.open { return true }
                    state.waiter = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            sawCancellation.withLock { $0 = true }
        }
        return true
    }

    func open() {
        let waiter = gate.withLock { state -> CheckedContinuation<Void, Never>? in
            state.open = true
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume()
    }
}
