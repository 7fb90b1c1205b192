import NIOCore

/// A `TaskExecutor` that runs jobs on one SwiftNIO event loop.
///
/// A connection's requests are handled with this executor preferred, so their async code runs
/// on the event loop that reads and writes the connection's socket: reading a request,
/// authenticating it, answering health, discovery and metrics, and writing the answer stay on
/// one thread instead of hopping to the global pool and back (each hop a thread wake-up). The
/// rule that comes with it: nothing that may block runs here. The server's own request path
/// does not block; a resource's work that might (a provider plug-in's call) goes to the global
/// executor through `RequestDeadlines.run`.
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
