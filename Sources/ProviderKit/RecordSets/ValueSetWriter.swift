import Synchronization

/// Read-modify-write of a TXT value set, for APIs that can only replace a whole set and have no
/// precondition to guard the replacement with (Gandi LiveDNS, PowerDNS before EXTEND/PRUNE).
///
/// Within the process, changes to one set (one key: account, zone and name) never overlap: one
/// caller at a time is the set's writer, and it applies its own change together with every
/// change that queued up meanwhile, in one round: read the set, compute the new list, write it
/// (an empty list deletes the set), and read it again to verify. Sixteen concurrent Presents on
/// one name therefore cost a few rounds, not sixteen racing writes. A change the verifying read
/// does not show (another writer, outside this process, replaced the set in between) is applied
/// again, up to `maximumRounds` times.
///
/// Across processes the dispatcher's record-name lock (DNS01's `RecordNameLock`, taken for
/// providers that declare `readModifyWriteSet`) keeps replicas apart. What remains: a writer
/// outside the webhook (another tool) that reads the set before our write and writes after
/// our verifying read still removes our value, and nothing here can see that happen.
///
/// No task is spawned: a caller whose change was applied by another caller's round just
/// returns; when the writer finishes its round it hands the role to the next waiting caller.
public final class ValueSetWriter<Key: Hashable & Sendable>: Sendable {
    /// One caller's change to a set.
    public enum Change: Sendable, Hashable {
        case add(String)
        case remove(String)

        public var value: String {
            switch self {
            case .add(let value), .remove(let value): value
            }
        }

        /// Whether `values` shows this change done, compared as `store` compares.
        func isSatisfied(by values: [String], in store: Store) -> Bool {
            switch self {
            case .add(let value): store.contains(values, value)
            case .remove(let value): !store.contains(values, value)
            }
        }
    }

    /// How a round reads and writes one set.
    public struct Store: Sendable {
        /// The values of the set now (empty when there is no set).
        public var read: @Sendable () async throws -> [String]
        /// Replaces the set with `values` (never empty) given that it held `current`.
        public var write: @Sendable (_ values: [String], _ current: [String]) async throws -> Void
        /// Deletes the set, which held `current`.
        public var delete: @Sendable (_ current: [String]) async throws -> Void
        /// The form values are compared in (for TXT, unquoted: `"a" "b"` and `"ab"` are one
        /// value). Values are written back as they were read, so other writers' values keep
        /// their form.
        public var comparable: @Sendable (String) -> String
        /// Whether a write or delete that returns has certainly left the set as asked: the API
        /// applies it only if the set still held `current` (a precondition: Cloud DNS change
        /// sets, ETags) and throws otherwise. The round then skips the verifying read; the
        /// caller re-reads and retries on the precondition's error.
        public var confirmsWrites: Bool

        public init(
            read: @escaping @Sendable () async throws -> [String],
            write: @escaping @Sendable (_ values: [String], _ current: [String]) async throws -> Void,
            delete: @escaping @Sendable (_ current: [String]) async throws -> Void,
            comparable: @escaping @Sendable (String) -> String = { $0 },
            confirmsWrites: Bool = false
        ) {
            self.read = read
            self.write = write
            self.delete = delete
            self.comparable = comparable
            self.confirmsWrites = confirmsWrites
        }

        func contains(_ values: [String], _ value: String) -> Bool {
            let wanted = comparable(value)
            return values.contains { comparable($0) == wanted }
        }
    }

    /// A round's change still missing after this many write-and-verify rounds is reported.
    public let maximumRounds: Int

    private enum Turn: Sendable {
        case done
        case write
    }

    private struct Waiter {
        var change: Change
        var continuation: CheckedContinuation<Turn, any Error>
    }

    private struct Queue {
        var waiting: [Waiter] = []
    }

    /// Keys with a writer; the waiters queued behind it.
    private let queues = Mutex<[Key: Queue]>([:])

    public init(maximumRounds: Int = 3) {
        self.maximumRounds = maximumRounds
    }

    /// Applies `change` to the set at `key` and returns once a read of the set shows it (or it
    /// was already so).
    public func apply(_ change: Change, at key: Key, store: Store) async throws {
        let turn: Turn = try await withCheckedThrowingContinuation { continuation in
            let writeNow = queues.withLock { queues -> Bool in
                if queues[key] != nil {
                    queues[key]!.waiting.append(Waiter(change: change, continuation: continuation))
                    return false
                }
                queues[key] = Queue()
                return true
            }
            if writeNow { continuation.resume(returning: .write) }
        }
        guard case .write = turn else { return }

        // This caller is the set's writer: one round for its change and every queued one.
        let joined = queues.withLock { queues -> [Waiter] in
            let waiting = queues[key]?.waiting ?? []
            queues[key]?.waiting = []
            return waiting
        }
        let outcome: Result<Void, any Error>
        do {
            try await round([change] + joined.map(\.change), store: store)
            outcome = .success(())
        } catch {
            outcome = .failure(error)
        }
        for waiter in joined {
            switch outcome {
            case .success: waiter.continuation.resume(returning: .done)
            case .failure(let error): waiter.continuation.resume(throwing: error)
            }
        }
        // Hand the role to the first caller that queued up during the round, if any; its own
        // change and whatever queued behind it make the next round.
        let next = queues.withLock { queues -> Waiter? in
            guard var queue = queues[key], !queue.waiting.isEmpty else {
                queues[key] = nil
                return nil
            }
            let first = queue.waiting.removeFirst()
            queues[key] = queue
            return first
        }
        next?.continuation.resume(returning: .write)
        try outcome.get()
    }

    /// Read, apply, write, verify; again for changes the verifying read does not show. When one
    /// round holds several changes of one value (a Present and a CleanUp racing), the last one
    /// wins, as it would have had they run one after the other.
    private func round(_ changes: [Change], store: Store) async throws {
        var remaining: [Change] = []
        for change in changes.reversed() where !remaining.contains(where: { store.comparable($0.value) == store.comparable(change.value) }) {
            remaining.insert(change, at: 0)
        }
        var current = try await store.read()
        for _ in 0..<maximumRounds {
            var desired = current
            for change in remaining {
                switch change {
                case .add(let value):
                    if !store.contains(desired, value) { desired.append(value) }
                case .remove(let value):
                    let unwanted = store.comparable(value)
                    desired.removeAll { store.comparable($0) == unwanted }
                }
            }
            if desired == current { return }
            if desired.isEmpty {
                try await store.delete(current)
            } else {
                try await store.write(desired, current)
            }
            if store.confirmsWrites { return }
            current = try await store.read()
            remaining = remaining.filter { !$0.isSatisfied(by: current, in: store) }
            if remaining.isEmpty { return }
        }
        throw ValueSetWriterError(unappliedCount: remaining.count)
    }
}

/// Changes that a verifying read still did not show after every round: another writer keeps
/// replacing the set.
public struct ValueSetWriterError: Error, Sendable, CustomStringConvertible {
    public let unappliedCount: Int

    public init(unappliedCount: Int) {
        self.unappliedCount = unappliedCount
    }

    public var description: String {
        "another writer kept replacing the TXT set: \(unappliedCount) change(s) did not hold after every retry"
    }
}
