import Foundation

/// Runs blocking work (a child process, a pipe read, a peer's start) on a Dispatch thread.
/// Swift's cooperative pool has one thread per core (two here), and swift-testing runs suites
/// on it side by side: a test that blocks one of them for the seconds a peer takes to start
/// starves every other test, and their deadlines fire late. So test support never blocks in
/// async code: `runCommand`, `PeerProcess.start` and the peers' `start` come here.
public func offloaded<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        DispatchQueue.global().async {
            continuation.resume(with: Result { try work() })
        }
    }
}
