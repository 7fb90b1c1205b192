import Foundation
import Synchronization

/// A helper server (moto, the AliDNS emulator, knotd, the built CLI…) started by a test on
/// 127.0.0.1 and stopped after it. Peers that print a JSON line on start have it parsed into
/// `announcement`; every peer gets a pipe as stdin and our Python peers exit when it closes,
/// so nothing outlives a crashed test run.
public final class PeerProcess: @unchecked Sendable {
    // @unchecked: `process` and the pipes are set once in init and only read afterwards.
    public let process: Process
    public let announcement: [String: Any]
    private let stdinPipe = Pipe()
    private let stdoutPipe = Pipe()
    private let stderrFile: URL
    private let stopping = Atomic(false)

    /// Launches `executable arguments…` and, if `expectJSONLine`, waits for its first stdout
    /// line, off Swift's cooperative pool (see `offloaded`): a peer can take seconds to start.
    public static func start(
        _ executable: String,
        _ arguments: [String],
        environment: [String: String]? = nil,
        workingDirectory: String = repositoryRoot,
        expectJSONLine: Bool = true,
        startTimeout: Duration = .seconds(60)
    ) async throws -> PeerProcess {
        try await offloaded {
            try PeerProcess(
                executable, arguments, environment: environment, workingDirectory: workingDirectory, expectJSONLine: expectJSONLine,
                startTimeout: startTimeout)
        }
    }

    /// The blocking start, for code already off the cooperative pool.
    init(
        _ executable: String,
        _ arguments: [String],
        environment: [String: String]? = nil,
        workingDirectory: String = repositoryRoot,
        expectJSONLine: Bool = true,
        startTimeout: Duration = .seconds(60)
    ) throws {
        process = Process()
        process.executableURL = URL(fileURLWithPath: executable.hasPrefix("/") ? executable : try Self.which(executable))
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: workingDirectory)
        if let environment { process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
        process.standardInput = stdinPipe
        process.standardOutput = stdoutPipe
        stderrFile = FileManager.default.temporaryDirectory.appendingPathComponent("peer-\(UUID().uuidString).stderr")
        _ = FileManager.default.createFile(atPath: stderrFile.path, contents: nil)
        process.standardError = try FileHandle(forWritingTo: stderrFile)
        let process = self.process
        try Self.withSignalsUnblocked { try process.run() }
        guard expectJSONLine else {
            announcement = [:]
            return
        }
        let line = try Self.readLine(from: stdoutPipe.fileHandleForReading, timeout: startTimeout)
        guard let line, let data = line.data(using: .utf8),
            let object = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        else {
            process.terminate()
            let stderr = (try? String(contentsOf: stderrFile, encoding: .utf8)) ?? ""
            throw PeerError("\(executable) \(arguments.joined(separator: " ")) did not announce itself; stderr: \(stderr)")
        }
        announcement = object
    }

    /// Runs `body` (which spawns a child) with no signal blocked on this thread. A child
    /// inherits the spawning thread's signal mask, Foundation's `Process` does not reset it,
    /// and SwiftNIO's threads block nearly every signal: a peer started from one could not
    /// receive SIGTERM, so stopping it took the SIGKILL after two seconds, and a peer's own
    /// child (moto under its harness) outlived the test run.
    private static func withSignalsUnblocked<T>(_ body: () throws -> T) rethrows -> T {
        var none = sigset_t()
        sigemptyset(&none)
        var previous = sigset_t()
        pthread_sigmask(SIG_SETMASK, &none, &previous)
        defer { pthread_sigmask(SIG_SETMASK, &previous, nil) }
        return try body()
    }

    public var port: Int { announcement["port"] as? Int ?? 0 }

    public var stderrText: String { (try? String(contentsOf: stderrFile, encoding: .utf8)) ?? "" }

    /// Stops the peer: SIGTERM now, SIGKILL after two seconds if it is still running. Returns at
    /// once; the waiting happens on a Dispatch thread, since this runs in `defer` blocks and
    /// deinits on Swift's cooperative pool, where two seconds of waiting stall the other tests.
    public func stop() {
        // Once: a second call (a deinit after an explicit stop) must not touch the Process while
        // the first one's thread waits for it; Foundation's Process is not safe for that.
        guard !stopping.exchange(true, ordering: .acquiringAndReleasing), process.isRunning else { return }
        try? stdinPipe.fileHandleForWriting.close()
        process.terminate()
        // The process only, never self: this also runs from deinit.
        let process = self.process
        DispatchQueue.global().async {
            let deadline = Date().addingTimeInterval(2)
            while process.isRunning && Date() < deadline { usleep(20_000) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
        }
    }

    deinit {
        stop()
        try? FileManager.default.removeItem(at: stderrFile)
    }

    static func readLine(from handle: FileHandle, timeout: Duration) throws -> String? {
        let fd = handle.fileDescriptor
        var collected = [UInt8]()
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            var pollDescriptor = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let ready = poll(&pollDescriptor, 1, 100)
            if ready <= 0 { continue }
            var byte: UInt8 = 0
            let count = read(fd, &byte, 1)
            if count <= 0 { return collected.isEmpty ? nil : String(decoding: collected, as: UTF8.self) }
            if byte == UInt8(ascii: "\n") { return String(decoding: collected, as: UTF8.self) }
            collected.append(byte)
        }
        throw PeerError("timed out waiting for a peer to start")
    }

    static func which(_ name: String) throws -> String {
        for directory in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let candidate = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        for directory in ["/usr/sbin", "/sbin"] where FileManager.default.isExecutableFile(atPath: "\(directory)/\(name)") {
            return "\(directory)/\(name)"
        }
        throw PeerError("\(name) is not installed (run .ci/run, or apt-get/pip install it)")
    }
}

public struct PeerError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// The package root, found from this file's location (`Tests/TestSupport/Peers/PeerProcess.swift`).
public let repositoryRoot: String = {
    // This file is Tests/TestSupport/Peers/PeerProcess.swift.
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<4 { url.deleteLastPathComponent() }
    return url.path
}()

/// The built `dns01-webhook` binary (`swift build` puts it beside the test bundle).
public var webhookBinary: String {
    if let override = ProcessInfo.processInfo.environment["DNS01_WEBHOOK_BIN"] { return override }
    return "\(repositoryRoot)/.build/debug/dns01-webhook"
}

/// The Python interpreter the test peers run on.
public var python: String { ProcessInfo.processInfo.environment["PYTHON"] ?? "python3" }

/// A fresh temporary directory, removed by the caller when done.
public func makeTemporaryDirectory(_ prefix: String = "dns01") throws -> String {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

/// The result of running a command to completion.
public struct CommandResult: Sendable {
    public let status: Int32
    public let stdout: String
    public let stderr: String
}

/// Runs a command to completion with stdin closed (or reading `input`) and returns its output,
/// off Swift's cooperative pool (see `offloaded`).
public func runCommand(_ executable: String, _ arguments: [String], environment: [String: String]? = nil, input: String? = nil) async throws -> CommandResult {
    try await offloaded { try runCommandBlocking(executable, arguments, environment: environment, input: input) }
}

/// `runCommand` blocking its thread, for code already off the cooperative pool.
func runCommandBlocking(_ executable: String, _ arguments: [String], environment: [String: String]? = nil, input: String? = nil) throws -> CommandResult {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable.hasPrefix("/") ? executable : try PeerProcess.which(executable))
    process.arguments = arguments
    process.currentDirectoryURL = URL(fileURLWithPath: repositoryRoot)
    if let environment { process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = FileHandle.nullDevice
    if let input {
        // A file, not a pipe: nothing to feed while the child runs.
        let path = try makeTemporaryDirectory("stdin") + "/input"
        try input.write(toFile: path, atomically: true, encoding: .utf8)
        process.standardInput = FileHandle(forReadingAtPath: path)
    }
    try process.run()
    // Read both pipes to the end before waiting, so a chatty child cannot block on a full pipe.
    let group = DispatchGroup()
    nonisolated(unsafe) var errData = Data()
    group.enter()
    DispatchQueue.global().async {
        errData = err.fileHandleForReading.readDataToEndOfFile()
        group.leave()
    }
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    group.wait()
    process.waitUntilExit()
    return CommandResult(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self), stderr: String(decoding: errData, as: UTF8.self))
}
