import Synchronization

/// Runs closures one at a time per key: two steps of one name (the apex and the wildcard
/// challenge) never share the script's conf files at once, while other names run in parallel.
final class KeyedSerialization: Sendable {
    private struct Waiters {
        var busy: Set<String> = []
        var queued: [String: [CheckedContinuation<Void, Never>]] = [:]
    }
    private let state = Mutex(Waiters())

    func run<T>(_ key: String, _ body: () async throws -> T) async throws -> T {
        await acquire(key)
        defer { release(key) }
        return try await body()
    }

    private func acquire(_ key: String) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let now = state.withLock { waiters -> Bool in
                if waiters.busy.insert(key).inserted { return true }
                waiters.queued[key, default: []].append(continuation)
                return false
            }
            if now { continuation.resume() }
        }
    }

    private func release(_ key: String) {
        let next = state.withLock { waiters -> CheckedContinuation<Void, Never>? in
            guard var queue = waiters.queued[key], !queue.isEmpty else {
                waiters.busy.remove(key)
                waiters.queued[key] = nil
                return nil
            }
            let first = queue.removeFirst()
            waiters.queued[key] = queue.isEmpty ? nil : queue
            return first
        }
        next?.resume()
    }
}
