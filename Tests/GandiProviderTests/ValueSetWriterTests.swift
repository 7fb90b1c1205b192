import DNS01
import ProviderKit
import Synchronization
import Testing

/// A value set in memory with a slow, counted read and write, and hooks to play another writer.
final class MemorySet: Sendable {
    private let state = Mutex<(values: [String], reads: Int, writes: Int, deletes: Int)>(([], 0, 0, 0))
    let delay: Duration
    /// Called after each write, with the number of writes so far; may change the set.
    let afterWrite: @Sendable (Int, MemorySet) -> Void

    init(_ values: [String] = [], delay: Duration = .milliseconds(5), afterWrite: @escaping @Sendable (Int, MemorySet) -> Void = { _, _ in }) {
        state.withLock { $0.values = values }
        self.delay = delay
        self.afterWrite = afterWrite
    }

    var values: [String] { state.withLock { $0.values } }
    var reads: Int { state.withLock { $0.reads } }
    var writes: Int { state.withLock { $0.writes } }
    var deletes: Int { state.withLock { $0.deletes } }
    func replace(_ values: [String]) { state.withLock { $0.values = values } }

    var store: ValueSetWriter<String>.Store {
        .init(
            read: {
                try await Task.sleep(for: self.delay)
                return self.state.withLock {
                    $0.reads += 1
                    return $0.values
                }
            },
            write: { values, _ in
                try await Task.sleep(for: self.delay)
                let count = self.state.withLock {
                    $0.writes += 1
                    $0.values = values
                    return $0.writes
                }
                self.afterWrite(count, self)
            },
            delete: { _ in
                try await Task.sleep(for: self.delay)
                self.state.withLock {
                    $0.deletes += 1
                    $0.values = []
                }
            },
            comparable: TXTRecord.unquoted
        )
    }
}

struct Failing: Error {}

/// Outcomes collected from concurrent tasks.
final class Outcomes: Sendable {
    private let values = Mutex<[Bool]>([])
    func append(_ value: Bool) { values.withLock { $0.append(value) } }
    var all: [Bool] { values.withLock { $0 } }
}

@Suite("ValueSetWriter: serialized, coalesced and verified read-modify-write")
struct ValueSetWriterTests {
    @Test("64 concurrent adds to one set all hold, in far fewer writes than changes")
    func coalesces() async throws {
        let writer = ValueSetWriter<String>()
        let set = MemorySet(["\"foreign\""])
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<64 { group.addTask { try await writer.apply(.add("\"v\(index)\""), at: "name", store: set.store) } }
            try await group.waitForAll()
        }
        #expect(Set(set.values) == Set(["\"foreign\""] + (0..<64).map { "\"v\($0)\"" }))
        #expect(set.writes < 16, "\(set.writes) writes")
        // Then all removed again: the set is deleted once it is empty.
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<64 { group.addTask { try await writer.apply(.remove("\"v\(index)\""), at: "name", store: set.store) } }
            try await group.waitForAll()
        }
        #expect(set.values == ["\"foreign\""])
        #expect(set.deletes == 0)
    }

    @Test("sets of different keys do not wait for each other")
    func keysAreIndependent() async throws {
        let writer = ValueSetWriter<String>()
        let sets = (0..<8).map { _ in MemorySet() }
        // Every key's write waits until all eight writes have begun: that can happen only if no
        // key waits for another. A writer that serialized keys would hold the first write here
        // until the deadline, and the test fails (not on timing: it waits as long as it must).
        let begun = Mutex(0)
        let stores = sets.map { set in
            var store = set.store
            let write = store.write
            store.write = { values, current in
                begun.withLock { $0 += 1 }
                let deadline = ContinuousClock.now + .seconds(120)
                while begun.withLock({ $0 }) < sets.count {
                    guard ContinuousClock.now < deadline else { throw Failing() }
                    try await Task.sleep(for: .milliseconds(5))
                }
                try await write(values, current)
            }
            return store
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (index, store) in stores.enumerated() { group.addTask { try await writer.apply(.add("v"), at: "name-\(index)", store: store) } }
            try await group.waitForAll()
        }
        #expect(sets.allSatisfy { $0.values == ["v"] })
        #expect(begun.withLock { $0 } == sets.count)
    }

    @Test("a change is idempotent: adding a value that is there, or removing one that is not, writes nothing")
    func idempotent() async throws {
        let writer = ValueSetWriter<String>()
        let set = MemorySet(["\"a\""])
        try await writer.apply(.add("a"), at: "n", store: set.store)
        try await writer.apply(.remove("\"b\""), at: "n", store: set.store)
        #expect(set.writes == 0 && set.reads == 2)
        try await writer.apply(.remove("a"), at: "n", store: set.store)
        #expect(set.deletes == 1 && set.values.isEmpty)
    }

    @Test("a value another writer drops right after our write is written again")
    func repairs() async throws {
        let writer = ValueSetWriter<String>()
        let set = MemorySet(["x"], afterWrite: { count, set in if count == 1 { set.replace(["intruder"]) } })
        try await writer.apply(.add("mine"), at: "n", store: set.store)
        #expect(Set(set.values) == ["intruder", "mine"])
        #expect(set.writes == 2)
    }

    @Test("a writer that keeps dropping our value makes the change fail after maximumRounds")
    func givesUp() async throws {
        let writer = ValueSetWriter<String>(maximumRounds: 3)
        let set = MemorySet(afterWrite: { _, set in set.replace(["intruder"]) })
        await #expect(throws: ValueSetWriterError.self) { try await writer.apply(.add("mine"), at: "n", store: set.store) }
        #expect(set.writes == 3)
    }

    @Test("a failed round fails every change it carried, and the next caller still gets its turn")
    func failurePropagates() async throws {
        let writer = ValueSetWriter<String>()
        let failing = ValueSetWriter<String>.Store(
            read: {
                try await Task.sleep(for: .milliseconds(20))
                return []
            },
            write: { _, _ in throw Failing() },
            delete: { _ in }
        )
        let outcomes = Outcomes()
        await withTaskGroup(of: Void.self) { group in
            for index in 0..<8 {
                group.addTask {
                    do {
                        try await writer.apply(.add("v\(index)"), at: "n", store: failing)
                        outcomes.append(true)
                    } catch {
                        outcomes.append(false)
                    }
                }
            }
        }
        #expect(outcomes.all == Array(repeating: false, count: 8))
        let set = MemorySet()
        try await writer.apply(.add("after"), at: "n", store: set.store)
        #expect(set.values == ["after"])
    }

    @Test("when one round holds an add and a remove of one value, the later one wins")
    func lastChangeWins() async throws {
        let writer = ValueSetWriter<String>()
        let set = MemorySet(delay: .milliseconds(30))
        // The first add starts a round; the remove and the second add queue behind it and share the next round.
        async let first: Void = writer.apply(.add("x"), at: "n", store: set.store)
        try await Task.sleep(for: .milliseconds(5))
        async let removal: Void = writer.apply(.remove("x"), at: "n", store: set.store)
        try await Task.sleep(for: .milliseconds(5))
        async let again: Void = writer.apply(.add("x"), at: "n", store: set.store)
        _ = try await (first, removal, again)
        #expect(set.values == ["x"])
    }
}
