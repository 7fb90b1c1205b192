import DNS01
import Synchronization

/// The record-name lock the contract suite's dispatcher takes, as `serve` and the CLI take
/// theirs: an in-process lock per name that queues waiters in order, and counts what it
/// served, so the race case can check that a read-modify-write provider's every step went
/// through it, one at a time, and that a safe provider's never did.
public final class ContractNameLock: RecordNameLock {
    public struct Hold: Sendable {
        let key: String
    }

    private struct Name {
        var held = false
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    private struct State {
        var names: [String: Name] = [:]
        var acquisitions = 0
        var holders = 0
        var mostHolders = 0

        mutating func note() {
            acquisitions += 1
            holders += 1
            mostHolders = max(mostHolders, holders)
        }
    }

    private let state = Mutex(State())

    public init() {}

    /// How many times the lock was taken, and the most holders of one name at once.
    public var served: (acquisitions: Int, mostAtOnce: Int) { state.withLock { ($0.acquisitions, $0.mostHolders) } }

    public func acquire(_ name: RecordNameLockName, deadline: ContinuousClock.Instant) async throws -> Hold {
        let key = name.key
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let granted = state.withLock { state -> Bool in
                if state.names[key, default: Name()].held {
                    state.names[key, default: Name()].waiters.append(continuation)
                    return false
                }
                state.names[key, default: Name()].held = true
                state.note()
                return true
            }
            if granted { continuation.resume() }
        }
        return Hold(key: key)
    }

    public func release(_ hold: Hold) async throws {
        let next = state.withLock { state -> CheckedContinuation<Void, Never>? in
            state.holders -= 1
            guard var name = state.names[hold.key], !name.waiters.isEmpty else {
                state.names[hold.key] = nil
                return nil
            }
            let next = name.waiters.removeFirst()
            state.names[hold.key] = name
            state.note()
            return next
        }
        next?.resume()
    }
}
