import Synchronization

/// One writer at a time per key, across every challenge of the process: Akamai's record-set
/// writes replace the whole set with no precondition, so two read-modify-writes of one name
/// must not interleave. Waiters are served in arrival order; holding a key never blocks other
/// keys.
final class RecordSetLocks<Key: Hashable & Sendable>: Sendable {
    private struct State {
        var held: Set<Key> = []
        var waiters: [Key: [CheckedContinuation<Void, Never>]] = [:]
    }
    private let state = Mutex(State())

    init() {}

    /// Runs `body` holding `key`.
    func withLock<T>(_ key: Key, _ body: () async throws -> T) async throws -> T {
        await acquire(key)
        defer { release(key) }
        return try await body()
    }

    /// Whether `key` is held now (for tests).
    func isHeld(_ key: Key) -> Bool { state.withLock { $0.held.contains(key) } }

    private func acquire(_ key: Key) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let acquired = state.withLock { state -> Bool in
                guard state.held.contains(key) else {
                    state.held.insert(key)
                    return true
                }
                state.waiters[key, default: []].append(continuation)
                return false
            }
            if acquired { continuation.resume() }
        }
    }

    /// Hands the key to the next waiter, or frees it.
    private func release(_ key: Key) {
        let next = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard var queue = state.waiters[key], !queue.isEmpty else {
                state.held.remove(key)
                state.waiters[key] = nil
                return nil
            }
            let next = queue.removeFirst()
            state.waiters[key] = queue.isEmpty ? nil : queue
            return next
        }
        next?.resume()
    }
}
