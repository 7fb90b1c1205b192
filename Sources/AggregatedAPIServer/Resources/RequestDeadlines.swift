import NIOCore
import NIOPosix
import Synchronization

/// How a request's work ended relative to the request deadline.
public enum DeadlineOutcome<Value: Sendable>: Sendable {
    case finished(Value)
    case timedOut
}

/// Runs the work a request's answer waits for (a provider call): off the connection's event
/// loop, and against the request deadline (`--request-timeout`). The request is answered when
/// the work finishes or when the deadline passes, whichever is first. At the deadline the work
/// is cancelled (providers' HTTP calls and sleeps honour cancellation) but not waited for, so
/// a provider that ignores cancellation still cannot hold the answer back; when the
/// connection closes, likewise.
///
/// The work runs on the global concurrent executor, never on an event loop: code a resource
/// calls may block its thread (a synchronous file read, a DNS lookup through the system
/// resolver), and on an event loop that would stall every connection the loop serves. A
/// blocked thread is one of the pool's (as many as there are cores): it slows other work, but
/// health, discovery and metrics answers stay on the event loops, and deadlines still fire
/// when blocked providers hold every thread of the pool (work that had not started by its
/// deadline sees itself cancelled when it does). The hop costs two thread hand-offs per
/// request (there and back), measured in the README.
///
/// One timer watches every request's deadline, and only while there are requests: a request
/// costs a lock and an append rather than a timer of its own (a `Task.sleep` raced in a task
/// group per request was a large share of the per-request cost). Every deadline is `timeout`
/// after its request began, so deadlines arrive in order and a FIFO suffices. The timer is an
/// event loop's, not a sleeping task's: a sleeping task resumes on the global pool, which
/// providers blocking every thread of it would keep from ever firing a deadline.
public final class RequestDeadlines: Sendable {
    public let timeout: Duration

    private struct Entry {
        var id: UInt64
        var deadline: ContinuousClock.Instant
        /// `nil` once the request finished or the deadline fired.
        var expire: (@Sendable () -> Void)?
    }

    private struct State {
        /// In id order with no gaps; `head` is the oldest entry that may still be live.
        var entries: [Entry] = []
        var head = 0
        var nextID: UInt64 = 0
        var watching = false

        mutating func removeSpentPrefix() {
            while head < entries.count, entries[head].expire == nil { head += 1 }
            if head == entries.count {
                entries.removeAll(keepingCapacity: entries.count <= 1024)
                head = 0
            } else if head >= 1024, head * 2 >= entries.count {
                entries.removeFirst(head)
                head = 0
            }
        }
    }

    private let state = Mutex(State())
    /// Where the deadline timer runs.
    private let timerLoop: any EventLoop

    /// - Parameter timerLoop: the event loop whose timer fires the deadlines (the server passes
    ///   one of its own).
    public init(timeout: Duration, timerLoop: any EventLoop = MultiThreadedEventLoopGroup.singleton.next()) {
        self.timeout = timeout
        self.timerLoop = timerLoop
    }

    /// Runs `work` on the global concurrent executor and waits for it, or for the deadline,
    /// this task's cancellation or its connection's closing, whichever comes first.
    public func run<Value: Sendable>(_ work: @escaping @Sendable () async -> Value) async -> DeadlineOutcome<Value> {
        let race = Race<Value>()
        let id = add { race.timeOut() }
        defer { remove(id) }
        if let connection = ConnectionCancellation.current {
            connection.set { race.timeOut() }
            defer { connection.clear() }
            return await withCheckedContinuation { race.start($0, work) }
        }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { race.start($0, work) }
        } onCancel: {
            race.timeOut()
        }
    }

    /// Deadlines neither expired nor finished (for tests).
    var pendingCount: Int {
        state.withLock { state in state.entries[state.head...].count { $0.expire != nil } }
    }

    private func add(expire: @escaping @Sendable () -> Void) -> UInt64 {
        let deadline = ContinuousClock.now + timeout
        let (id, startWatching) = state.withLock { state -> (UInt64, Bool) in
            state.nextID += 1
            state.entries.append(Entry(id: state.nextID, deadline: deadline, expire: expire))
            defer { state.watching = true }
            return (state.nextID, !state.watching)
        }
        if startWatching {
            arm(at: deadline)
        }
        return id
    }

    private func remove(_ id: UInt64) {
        state.withLock { state in
            // Ids are contiguous from the first entry, so the position is arithmetic.
            guard let first = state.entries.first, id >= first.id else { return }
            let index = Int(id - first.id)
            guard index < state.entries.count else { return }
            state.entries[index].expire = nil
            state.removeSpentPrefix()
        }
    }

    /// Fires the timer at `deadline` (the oldest live request's).
    private func arm(at deadline: ContinuousClock.Instant) {
        let delay = ContinuousClock.now.duration(to: deadline)
        timerLoop.scheduleTask(in: .nanoseconds(max(0, delay.nanoseconds))) { self.fire() }
    }

    /// Expires every request whose deadline has passed, then arms the timer for the next one,
    /// or stops watching when none is left.
    private func fire() {
        let now = ContinuousClock.now
        let (due, next) = state.withLock { state -> ([@Sendable () -> Void], ContinuousClock.Instant?) in
            var due: [@Sendable () -> Void] = []
            while state.head < state.entries.count, state.entries[state.head].deadline <= now {
                if let expire = state.entries[state.head].expire { due.append(expire) }
                state.entries[state.head].expire = nil
                state.head += 1
            }
            state.removeSpentPrefix()
            guard state.head < state.entries.count else {
                state.watching = false
                return (due, nil)
            }
            return (due, state.entries[state.head].deadline)
        }
        for expire in due { expire() }
        if let next { arm(at: next) }
    }
}

/// Who answers a request first: its work, or its deadline (or the request's cancellation).
private final class Race<Value: Sendable>: Sendable {
    private enum State {
        case starting
        /// The work finished before `start` recorded the continuation.
        case finishedEarly(Value)
        case running(CheckedContinuation<DeadlineOutcome<Value>, Never>, Task<Void, Never>)
        case answered
    }

    private let state = Mutex(State.starting)

    func start(_ continuation: CheckedContinuation<DeadlineOutcome<Value>, Never>, _ work: @escaping @Sendable () async -> Value) {
        // Off the event loops: the work may block its thread. The request waits on its loop and
        // resumes there when `finish` resumes the continuation.
        let task = Task(executorPreference: globalConcurrentExecutor) { [self] in
            finish(await work())
        }
        let early = state.withLock { state -> DeadlineOutcome<Value>? in
            switch state {
            case .starting:
                state = .running(continuation, task)
                return nil
            case .finishedEarly(let value):
                state = .answered
                return .finished(value)
            case .running, .answered:
                // The deadline passed, or the request was cancelled, before the work began.
                state = .answered
                return .timedOut
            }
        }
        guard let early else { return }
        if case .timedOut = early { task.cancel() }
        continuation.resume(returning: early)
    }

    func timeOut() {
        let running = state.withLock { state -> (CheckedContinuation<DeadlineOutcome<Value>, Never>, Task<Void, Never>)? in
            switch state {
            case .running(let continuation, let task):
                state = .answered
                return (continuation, task)
            case .starting:
                state = .answered
                return nil
            case .finishedEarly, .answered:
                return nil
            }
        }
        guard let (continuation, task) = running else { return }
        task.cancel()
        continuation.resume(returning: .timedOut)
    }

    private func finish(_ value: Value) {
        let continuation = state.withLock { state -> CheckedContinuation<DeadlineOutcome<Value>, Never>? in
            switch state {
            case .starting:
                state = .finishedEarly(value)
                return nil
            case .running(let continuation, _):
                state = .answered
                return continuation
            case .finishedEarly, .answered:
                return nil
            }
        }
        continuation?.resume(returning: .finished(value))
    }
}
