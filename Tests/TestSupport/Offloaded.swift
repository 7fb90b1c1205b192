import Foundation

/// Runs blocking work (a child process, a pipe read) on a Dispatch thread. The in-process
/// server answers on Swift's cooperative pool, which has one thread per core (two here): a
/// test blocking one of them while kubectl waits for the server could starve it.
public func offloaded<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        DispatchQueue.global().async {
            continuation.resume(with: Result { try work() })
        }
    }
}

/// `runCommand` off the cooperative pool.
public func run(_ executable: String, _ arguments: [String]) async throws -> CommandResult {
    try await offloaded { try runCommand(executable, arguments) }
}
