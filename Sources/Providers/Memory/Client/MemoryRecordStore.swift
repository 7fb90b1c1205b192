import DNS01
import Synchronization

/// TXT records held in the process: name → values in insertion order. Shared by every
/// challenge the plugin serves, like a DNS provider account.
public final class MemoryRecordStore: Sendable {
    private let records = Mutex<[DomainName: [String]]>([:])
    private let calls = Atomic<Int>(0)

    public init() {}

    /// Adds `value` at `name` unless it is already there; returns whether it was added.
    @discardableResult
    public func add(_ value: String, at name: DomainName) -> Bool {
        records.withLock { records in
            if records[name, default: []].contains(value) { return false }
            records[name, default: []].append(value)
            return true
        }
    }

    /// Removes `value` at `name`; returns whether it was there.
    @discardableResult
    public func remove(_ value: String, at name: DomainName) -> Bool {
        records.withLock { records in
            guard var values = records[name], let index = values.firstIndex(of: value) else { return false }
            values.remove(at: index)
            records[name] = values.isEmpty ? nil : values
            return true
        }
    }

    public func values(at name: DomainName) -> [String] {
        records.withLock { $0[name] ?? [] }
    }

    /// Every name that holds at least one value.
    public var names: [DomainName] {
        records.withLock { Array($0.keys).sorted() }
    }

    /// The "API calls" made so far (one per provider step), for the contract suite's counts.
    public var callCount: Int { calls.load(ordering: .relaxed) }

    func countCall() { calls.add(1, ordering: .relaxed) }
}
