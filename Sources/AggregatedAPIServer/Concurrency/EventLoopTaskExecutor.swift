import NIOCore

/// A `TaskExecutor` that runs jobs on one SwiftNIO event loop.
///
/// A connection's requests are handled with this executor preferred, so its async code runs on
/// the event loop that reads and writes its socket: reading a request, answering it and the
/// provider call's continuation stay on one thread instead of hopping to the global pool and
/// back (each hop a thread wake-up). The rule that comes with it: nothing on the request path
/// may block (file reads, DNS lookups and processes are async or run elsewhere).
final class EventLoopTaskExecutor: TaskExecutor, @unchecked Sendable {
    // @unchecked: both stored properties are immutable and Sendable; `TaskExecutor` itself
    // requires a class.
    let eventLoop: any EventLoop

    init(eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        eventLoop.execute {
            job.runSynchronously(on: self.asUnownedTaskExecutor())
        }
    }

    /// The executor of the event loop a connection's requests are running on, if any.
    @TaskLocal static var current: EventLoopTaskExecutor?
}

/// One executor per event loop of a group, made once.
struct EventLoopTaskExecutors: Sendable {
    private let executors: [ObjectIdentifier: EventLoopTaskExecutor]

    init(group: any EventLoopGroup) {
        var executors: [ObjectIdentifier: EventLoopTaskExecutor] = [:]
        for loop in group.makeIterator() {
            executors[ObjectIdentifier(loop)] = EventLoopTaskExecutor(eventLoop: loop)
        }
        self.executors = executors
    }

    subscript(loop: any EventLoop) -> EventLoopTaskExecutor? {
        executors[ObjectIdentifier(loop)]
    }
}
