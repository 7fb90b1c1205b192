import DNS01
import Foundation
import Synchronization
import TestSupport
import Testing
import WebhookSetup

/// The CLI's record-name lock: `flock` on a file per name in the state directory.
@Suite("Record-name lock on files")
struct FileRecordNameLockTests {
    static let name = RecordNameLockName(recordName: try! DomainName("_acme-challenge.Example.com"))

    @Test("holders never overlap, and the lock file is named after the record name")
    func mutualExclusion() async throws {
        let directory = try makeTemporaryDirectory("locks") + "/state/locks"
        let lock = FileRecordNameLock(directory: directory)
        #expect(lock.path(for: Self.name) == "\(directory)/_acme-challenge.example.com.lock")
        let inside = Occupancy()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<16 {
                group.addTask {
                    let hold = try await lock.acquire(Self.name, deadline: .now + .seconds(30))
                    inside.enter()
                    try await Task.sleep(for: .milliseconds(5))
                    inside.leave()
                    try await lock.release(hold)
                }
            }
            try await group.waitForAll()
        }
        let seen = inside.seen
        #expect(seen.entries == 16)
        #expect(seen.most == 1)
    }

    @Test("a held name times out at the deadline with a plain message")
    func timesOut() async throws {
        let lock = FileRecordNameLock(directory: try makeTemporaryDirectory("locks"))
        let hold = try await lock.acquire(Self.name, deadline: .now + .seconds(5))
        await #expect {
            _ = try await lock.acquire(Self.name, deadline: .now + .milliseconds(300))
        } throws: { error in
            guard let error = error as? DNS01Error else { return false }
            return error.code == .timedOut && error.message.contains("--lock-timeout") && error.message.contains("nothing was written")
        }
        try await lock.release(hold)
    }

    @Test("the default directory follows XDG_STATE_HOME, then HOME")
    func defaultDirectory() {
        #expect(FileRecordNameLock.defaultDirectory(environment: ["XDG_STATE_HOME": "/s", "HOME": "/h"]) == "/s/dns01-webhook/locks")
        #expect(FileRecordNameLock.defaultDirectory(environment: ["HOME": "/h"]) == "/h/.local/state/dns01-webhook/locks")
    }
}

/// How many tasks are inside a critical section now, the most ever, and how many entered.
final class Occupancy: Sendable {
    private let state = Mutex((now: 0, most: 0, entries: 0))

    func enter() {
        state.withLock {
            $0.now += 1
            $0.most = max($0.most, $0.now)
            $0.entries += 1
        }
    }
    func leave() { state.withLock { $0.now -= 1 } }
    var seen: (most: Int, entries: Int) { state.withLock { ($0.most, $0.entries) } }
}
