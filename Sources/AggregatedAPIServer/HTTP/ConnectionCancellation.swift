import Synchronization

/// A connection's closing, passed on to the request being answered on it: the request's task
/// is unstructured, so nothing would cancel it otherwise. Requests of a connection are answered
/// one at a time, so one object per connection serves them all.
final class ConnectionCancellation: Sendable {
    @TaskLocal static var current: ConnectionCancellation?

    private struct State {
        var cancelled = false
        var onCancel: (@Sendable () -> Void)?
    }

    private let state = Mutex(State())

    /// Runs `handler` when the connection is cancelled (at once if it already is) until
    /// `clear()`.
    func set(_ handler: @escaping @Sendable () -> Void) {
        let cancelled = state.withLock { state -> Bool in
            state.onCancel = handler
            return state.cancelled
        }
        if cancelled { handler() }
    }

    func clear() {
        state.withLock { $0.onCancel = nil }
    }

    func cancel() {
        let handler = state.withLock { state -> (@Sendable () -> Void)? in
            state.cancelled = true
            return state.onCancel
        }
        handler?()
    }
}
