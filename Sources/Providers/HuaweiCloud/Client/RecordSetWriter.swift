import DNS01
import ProviderKit
import Synchronization

/// Read-modify-write of one TXT record set per name, for an API that can only replace a whole
/// set and has no precondition (no version, no ETag) to guard the replacement with.
///
/// Within the process, changes to one set never overlap: one caller at a time is the set's
/// writer, and it applies its own change together with every change that queued up meanwhile,
/// in rounds of: read the set, compute the new list, write it (an empty list deletes the set),
/// and read it again. The second read verifies the write; a change it does not show (a writer
/// outside this process replaced the set in between) is applied again in the next round, up to
/// `maximumRounds`. Sixteen concurrent Presents on one name therefore cost a few rounds, not
/// sixteen racing writes.
///
/// What this cannot protect against: a writer outside this process (a second replica, another
/// tool) that reads the set before our write and writes after our verifying read removes our
/// value, and nothing here sees it. Run one replica per account and zone, or accept that
/// cert-manager retries such a challenge.
///
/// No task is spawned: a caller whose change another caller's round applied just returns; when
/// the writer's batch is done it hands the role to the next waiting caller.
final class RecordSetWriter: Sendable {
    typealias Key = AccountScopedKey<String>

    enum Change: Sendable, Hashable {
        case add(String)
        case remove(String)

        var value: String {
            switch self {
            case .add(let value), .remove(let value): value
            }
        }

        /// Whether the set's `values` (as stored, quoted) show the change done.
        func isSatisfied(by values: [String]) -> Bool {
            let present = values.contains { TXTRecord.unquoted($0) == value }
            switch self {
            case .add: return present
            case .remove: return !present
            }
        }
    }

    /// The set as one read saw it: its id (`nil`: there is none), values as stored, TTL.
    struct Snapshot: Sendable {
        var id: String?
        var values: [String]
        var ttl: Int?
    }

    /// How a round reads and writes the set of one name.
    struct Store: Sendable {
        var read: @Sendable () async throws -> Snapshot
        /// Creates the set (`current.id == nil`) or replaces its values (never empty).
        var write: @Sendable (_ values: [String], _ current: Snapshot) async throws -> Void
        var delete: @Sendable (_ current: Snapshot) async throws -> Void
    }

    /// A write that met another writer's change (the set appeared or vanished since the read):
    /// the round reads again instead of failing.
    struct ConcurrentChange: Error {}

    private enum Wake: Sendable {
        case done
        case failed(any Error)
        case write
    }

    private struct Pending {
        var change: Change
        /// `nil` for the writer's own change.
        var continuation: CheckedContinuation<Wake, Never>?
    }

    private let queues = Mutex<[Key: [Pending]]>([:])
    let maximumRounds: Int

    init(maximumRounds: Int = 3) {
        self.maximumRounds = maximumRounds
    }

    /// Applies `change` to the set at `key`, with `store`'s reads and writes; returns once a
    /// read shows it done.
    func apply(_ change: Change, at key: Key, store: Store) async throws {
        // A key with a queue has a writer; the writer's own entry has no continuation.
        let writeNow = queues.withLock { queues -> Bool in
            guard queues[key] == nil else { return false }
            queues[key] = [Pending(change: change, continuation: nil)]
            return true
        }
        if !writeNow {
            let wake = await withCheckedContinuation { (continuation: CheckedContinuation<Wake, Never>) in
                let resumeNow = queues.withLock { queues -> Bool in
                    if queues[key] != nil {
                        queues[key]!.append(Pending(change: change, continuation: continuation))
                        return false
                    }
                    // The writer finished in between: this caller writes.
                    queues[key] = [Pending(change: change, continuation: nil)]
                    return true
                }
                if resumeNow { continuation.resume(returning: .write) }
            }
            switch wake {
            case .done: return
            case .failed(let error): throw error
            case .write: break
            }
        }
        try await write(key, store)
    }

    /// Runs one batch as the writer of `key`, then hands the role on.
    private func write(_ key: Key, _ store: Store) async throws {
        // Take everything queued so far; the writer's own change is among it.
        let batch = queues.withLock { queues -> [Pending] in
            let batch = queues[key] ?? []
            queues[key] = []
            return batch
        }
        let outcomes = await rounds(batch.map(\.change), store)
        var own: Result<Void, any Error> = .success(())
        for (pending, outcome) in zip(batch, outcomes) {
            if let continuation = pending.continuation {
                switch outcome {
                case .success: continuation.resume(returning: .done)
                case .failure(let error): continuation.resume(returning: .failed(error))
                }
            } else {
                own = outcome
            }
        }
        // Hand the role to the first caller that queued meanwhile, or close the queue.
        let next = queues.withLock { queues -> CheckedContinuation<Wake, Never>? in
            guard var waiting = queues[key], let first = waiting.firstIndex(where: { $0.continuation != nil }) else {
                queues[key] = nil
                return nil
            }
            let continuation = waiting[first].continuation
            waiting[first].continuation = nil
            queues[key] = waiting
            return continuation
        }
        next?.resume(returning: .write)
        try own.get()
    }

    /// Applies `changes` in rounds; the outcome of each, in order.
    private func rounds(_ changes: [Change], _ store: Store) async -> [Result<Void, any Error>] {
        var outcomes = [Result<Void, any Error>?](repeating: nil, count: changes.count)
        // A later change to the same value supersedes an earlier one (a Cleanup queued behind
        // its Present): the earlier one happened, and was undone.
        var open: [Int] = []
        for index in changes.indices {
            if changes[(index + 1)...].contains(where: { $0.value == changes[index].value }) {
                outcomes[index] = .success(())
            } else {
                open.append(index)
            }
        }
        do {
            var current = try await store.read()
            for _ in 1...maximumRounds {
                open.removeAll { index in
                    guard changes[index].isSatisfied(by: current.values) else { return false }
                    outcomes[index] = .success(())
                    return true
                }
                guard !open.isEmpty else { break }
                var values = current.values
                for index in open {
                    switch changes[index] {
                    case .add(let value): values.append(TXTRecord.quoted(value))
                    case .remove(let value): values.removeAll { TXTRecord.unquoted($0) == value }
                    }
                }
                do {
                    if values.isEmpty {
                        try await store.delete(current)
                    } else {
                        try await store.write(values, current)
                    }
                } catch is ConcurrentChange {
                    // Someone else created or deleted the set since the read: read and retry.
                }
                current = try await store.read()
            }
            open.removeAll { index in
                guard changes[index].isSatisfied(by: current.values) else { return false }
                outcomes[index] = .success(())
                return true
            }
        } catch {
            for index in open where outcomes[index] == nil { outcomes[index] = .failure(error) }
            open = []
        }
        for index in open {
            outcomes[index] = .failure(LostToConcurrentWriter(change: changes[index], rounds: maximumRounds))
        }
        return outcomes.map { $0 ?? .success(()) }
    }
}

/// A change that a writer outside this process kept undoing through every round.
struct LostToConcurrentWriter: Error, CustomStringConvertible {
    let change: RecordSetWriter.Change
    let rounds: Int
    var description: String { "the change was undone by another writer in each of \(rounds) rounds" }
}
