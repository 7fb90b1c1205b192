import Synchronization

/// The challenges of this process that wait for one record name, in order: only the first goes
/// to the apiserver for the Lease, and the next is handed its turn the moment the one before
/// releases, instead of every waiter polling the apiserver.
final class LocalNameQueue: Sendable {
    private struct Waiter {
        let id: UInt64
        let continuation: CheckedContinuation<Bool, Never>
    }

    private struct State {
        /// A name is present while someone has its turn; its waiters queue behind.
        var names: [String: [Waiter]] = [:]
        var nextID: UInt64 = 0
    }

    private let state = Mutex(State())

    /// Waits for the caller's turn on `key`. Returns `false` when `deadline` passed, or the
    /// task was cancelled, first.
    func enter(_ key: String, deadline: ContinuousClock.Instant) async -> Bool {
        let id: UInt64? = state.withLock { state in
            guard state.names[key] != nil else {
                state.names[key] = []
                return nil
            }
            state.nextID += 1
            return state.nextID
        }
        guard let id else { return true }
        return await withTaskGroup(of: Bool?.self) { group in
            group.addTask { await self.wait(key, id) }
            group.addTask {
                try? await Task.sleep(until: deadline)
                return nil
            }
            var granted = false
            // Both results are read: a turn handed over just as the deadline passed must be
            // known, so that it is used (or passed on), never lost.
            for await result in group {
                if let result { granted = result }
                group.cancelAll()
            }
            return granted
        }
    }

    /// Gives the turn on `key` to the next waiter, if any.
    func leave(_ key: String) {
        let next = state.withLock { state -> CheckedContinuation<Bool, Never>? in
            guard var waiters = state.names[key] else { return nil }
            guard !waiters.isEmpty else {
                state.names[key] = nil
                return nil
            }
            let next = waiters.removeFirst()
            state.names[key] = waiters
            return next.continuation
        }
        next?.resume(returning: true)
    }

    private func wait(_ key: String, _ id: UInt64) async -> Bool {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
                let now: Bool? = state.withLock { state in
                    guard state.names[key] != nil else {
                        state.names[key] = []  // freed meanwhile: the turn is ours
                        return true
                    }
                    if Task.isCancelled { return false }
                    state.names[key]?.append(Waiter(id: id, continuation: continuation))
                    return nil
                }
                if let now { continuation.resume(returning: now) }
            }
        } onCancel: {
            let removed = state.withLock { state -> CheckedContinuation<Bool, Never>? in
                guard let index = state.names[key]?.firstIndex(where: { $0.id == id }) else { return nil }
                return state.names[key]?.remove(at: index).continuation
            }
            removed?.resume(returning: false)
        }
    }
}
