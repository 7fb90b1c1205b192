import FailureScenarios
import Foundation

/// A server process the serve benchmark starts: it prints `{"port": N}` when listening.
final class ChildProcess {
    let process = Process()
    private(set) var port = 0
    /// The announced `adminURL`, for peers that have one (the fake kube-apiserver).
    private(set) var adminURL: String?

    init(_ executable: String, _ arguments: [String], announces: Bool = true) throws {
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        // A child inherits the spawning thread's signal mask (Foundation does not reset it) and
        // SwiftNIO's threads block nearly every signal: unblock them so SIGTERM reaches it.
        var none = sigset_t()
        sigemptyset(&none)
        var previous = sigset_t()
        pthread_sigmask(SIG_SETMASK, &none, &previous)
        defer { pthread_sigmask(SIG_SETMASK, &previous, nil) }
        try process.run()
        guard announces else { return }
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { throw BenchError("\(executable) exited before announcing its port") }
            line.append(chunk)
        }
        let object = try JSONSerialization.jsonObject(with: line.prefix { $0 != UInt8(ascii: "\n") }) as? [String: Any]
        port = object?["port"] as? Int ?? 0
        adminURL = object?["adminURL"] as? String
    }

    func residentKilobytes() -> Int { Self.residentKilobytes(pid: process.processIdentifier) }

    /// Resident set size in kB, from /proc (0 when unavailable).
    static func residentKilobytes(pid: Int32) -> Int {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") })
        else { return 0 }
        return Int(line.split(whereSeparator: { $0 == " " || $0 == "\t" }).dropFirst().first ?? "") ?? 0
    }

    /// SIGTERM, then SIGKILL if it is still there two seconds later.
    func stop() {
        guard process.isRunning else { return }
        process.terminate()
        let deadline = Date().addingTimeInterval(2)
        while process.isRunning, Date() < deadline { usleep(20_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    /// A port nothing listens on right now (bound, read, released again).
    static func freePort() throws -> Int {
        let reserved = try ReservedPort()
        defer { reserved.release() }
        return reserved.port
    }
}

struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
