import DNS01
import Subprocess
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

#if canImport(System)
import System
#else
import SystemPackage
#endif

/// Runs one program to completion with a bounded run time, capturing what it prints.
///
/// Swift Subprocess waits for the child asynchronously, so no thread of the cooperative pool
/// blocks. The child gets its own session (process group): on timeout the whole group gets
/// SIGTERM, then SIGKILL two seconds later, so a script's own children die with it and cannot
/// keep the output pipe open. Public for the other out-of-process provider (`acmesh`).
public struct ProgramRunner: Sendable {
    public struct Outcome: Sendable {
        public enum Termination: Sendable, Hashable {
            case exited(Int32)
            case signaled(Int32)
            /// Killed after the time limit.
            case timedOut
        }
        public var termination: Termination
        /// stdout and stderr, interleaved as written, at most `outputLimit` bytes (the end of it
        /// when there was more, since errors are usually printed last).
        public var output: [UInt8]
        /// Whether the start of the output was dropped to stay within the limit.
        public var truncated: Bool
    }

    public var outputLimit = 16 << 10

    public init() {}

    /// Runs `command` (a path, or a name looked up in the `PATH` of `environment`) with exactly
    /// `environment`: nothing of this process's own environment is passed on.
    public func run(_ command: String, arguments: [String], environment: [String: String], input: String, timeout: Duration) async throws -> Outcome {
        let captured = CapturedOutput(limit: outputLimit)
        var options = PlatformOptions()
        options.createSession = true
        options.teardownSequence = [
            .gracefulShutDown(toProcessGroup: true, allowedDurationToNextStep: .seconds(2)),
            .send(signal: .kill, toProcessGroup: true, allowedDurationToNextStep: .seconds(1)),
        ]
        let executable: Executable = command.contains("/") ? .path(FilePath(command)) : .name(command)
        var variables: [Environment.Key: String] = [:]
        for (name, value) in environment { variables[Environment.Key(stringLiteral: name)] = value }
        let configuration = Configuration(
            executable: executable, arguments: Arguments(arguments), environment: .custom(variables), platformOptions: options
        )
        let status: TerminationStatus? = try await withThrowingTaskGroup(of: TerminationStatus?.self) { group in
            group.addTask {
                let stdin = try Self.preloadedInput(input)
                let result = try await Subprocess.run(
                    configuration, input: .fileDescriptor(stdin, closeAfterSpawningProcess: true), output: .sequence, error: .combinedWithOutput
                ) { execution in
                    for try await buffer in execution.standardOutput {
                        buffer.withUnsafeBytes { captured.append($0) }
                    }
                }
                return result.terminationStatus
            }
            group.addTask {
                try await Task.sleep(for: timeout)
                return nil
            }
            // The first to finish decides; cancelling the run tears the process group down.
            let first = try await group.next() ?? nil
            group.cancelAll()
            if first == nil { _ = try? await group.next() }
            return first
        }
        let termination: Outcome.Termination
        switch status {
        case .exited(let code)?: termination = .exited(code)
        case .signaled(let signal)?: termination = .signaled(signal)
        case nil: termination = .timedOut
        }
        return Outcome(termination: termination, output: captured.bytes, truncated: captured.overflowed)
    }
}

extension ProgramRunner {
    /// The largest stdin we hand a program: it must fit a pipe's buffer (64 KiB on Linux).
    static let maximumInputBytes = 48 << 10

    /// A pipe already holding `text`, write end closed, for the program's stdin.
    ///
    /// The parent never writes to a pipe the program may have stopped reading: a hook that
    /// ignores stdin and exits at once would fail such a write, and on that path
    /// swift-subprocess 1.0.2 releases its stdin writer unclosed and traps, taking the whole
    /// webhook down. Filling the pipe before the program starts removes the race entirely.
    static func preloadedInput(_ text: String) throws -> FileDescriptor {
        let bytes = Array(text.utf8)
        guard bytes.count <= maximumInputBytes else {
            throw DNS01Error(.invalidChallenge, "the challenge is too large to pass to a program on stdin (\(bytes.count) bytes)")
        }
        var ends: [Int32] = [-1, -1]
        guard pipe(&ends) == 0 else {
            throw DNS01Error(.providerUnavailable, "cannot create a pipe for the program's stdin (errno \(errno))")
        }
        // Close-on-exec, so no other program started meanwhile keeps either end open; the child
        // still gets the read end, because its stdin is a dup of it.
        _ = fcntl(ends[0], F_SETFD, FD_CLOEXEC)
        _ = fcntl(ends[1], F_SETFD, FD_CLOEXEC)
        let readEnd = FileDescriptor(rawValue: ends[0])
        let writeEnd = FileDescriptor(rawValue: ends[1])
        defer { try? writeEnd.close() }
        do {
            _ = try writeEnd.writeAll(bytes)
        } catch {
            try? readEnd.close()
            throw error
        }
        return readEnd
    }
}

/// The tail of a stream, bounded: keeps the last `limit` bytes.
final class CapturedOutput: Sendable {
    private let limit: Int
    private let storage = Mutex<(bytes: [UInt8], overflowed: Bool)>(([], false))

    init(limit: Int) { self.limit = limit }

    func append(_ bytes: UnsafeRawBufferPointer) {
        storage.withLock { stored in
            stored.bytes.append(contentsOf: bytes)
            if stored.bytes.count > limit {
                stored.bytes.removeFirst(stored.bytes.count - limit)
                stored.overflowed = true
            }
        }
    }

    var bytes: [UInt8] { storage.withLock { $0.bytes } }
    var overflowed: Bool { storage.withLock { $0.overflowed } }
}
