import DNS01
import ExecProvider
import Foundation

/// Runs `acmesh-run.sh` (shims/acmesh) for one step in a fresh `sh`, with nothing of the
/// webhook's environment but `PATH`: a private `HOME` and temp directory, the conf files of
/// the step's saved state, the configured variables and the shim. The process group is killed
/// on timeout; what the script printed is kept for the failure message, secrets redacted.
struct ScriptRunner: Sendable {
    /// `acmesh-run.sh`'s exit codes (shims/acmesh/README.md).
    enum ExitCode {
        static let scriptMissing: Int32 = 64
        static let noHook: Int32 = 65
        static let toolMissing: Int32 = 66
        static let usage: Int32 = 67
        static let loadFailed: Int32 = 68
        static let hookStatusRemapped: Int32 = 69
        static let internalError: Int32 = 70
        static let noInfoBlock: Int32 = 71
    }

    static let defaultPath = "/usr/local/bin:/usr/bin:/bin"

    let shell: String
    let shimDirectory: String
    let path: String
    var runner = ProgramRunner()

    var runnerPath: String { "\(shimDirectory)/acmesh-run.sh" }

    /// The result of one run: how it ended, the last `_err` line, the output, and the conf
    /// files as the script left them.
    struct Result: Sendable {
        var termination: ProgramRunner.Outcome.Termination
        var lastError: String?
        var output: [UInt8]
        var truncated: Bool
        var stdout: String
        var files: [String: [UInt8]]
    }

    static let confFiles = ["account.conf", "domain.conf"]

    /// Runs the runner with `arguments` in a private directory seeded with `files`.
    func run(_ arguments: [String], variables: [String: String], files: [String: [UInt8]], timeout: Duration) async throws -> Result {
        let directory = try Self.makePrivateDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let home = "\(directory)/home"
        let temporary = "\(directory)/tmp"
        for sub in [home, temporary] {
            try FileManager.default.createDirectory(atPath: sub, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
        }
        for name in Self.confFiles {
            guard FileManager.default.createFile(atPath: "\(directory)/\(name)", contents: Data(files[name] ?? []), attributes: [.posixPermissions: 0o600]) else {
                throw DNS01Error(.providerUnavailable, "acmesh: cannot write \(directory)/\(name)")
            }
        }
        let errorFile = "\(directory)/err"
        let stdoutFile = "\(directory)/stdout"
        var environment = variables
        environment["PATH"] = path
        environment["HOME"] = home
        environment["TMPDIR"] = temporary
        environment["NO_TIMESTAMP"] = "1"
        environment["DNS01_SHIM"] = "\(shimDirectory)/acmesh-shim.sh"
        environment["DNS01_ACCOUNT_CONF"] = "\(directory)/account.conf"
        environment["DNS01_DOMAIN_CONF"] = "\(directory)/domain.conf"
        environment["DNS01_ERR_FILE"] = errorFile
        // The runner's stdout (the --info listings) goes to a file so the combined capture
        // holds only the log; `exec` keeps the one process the timeout kills.
        let command = "exec \"\(shell)\" \"$0\" \"$@\" >\"\(stdoutFile)\""
        let outcome = try await runner.run(
            shell, arguments: ["-c", command, runnerPath] + arguments, environment: environment, input: "", timeout: timeout)
        var after: [String: [UInt8]] = [:]
        for name in Self.confFiles {
            if let data = FileManager.default.contents(atPath: "\(directory)/\(name)") { after[name] = Array(data) }
        }
        let errors = (try? String(contentsOfFile: errorFile, encoding: .utf8)) ?? ""
        let lastError = errors.split(whereSeparator: \.isNewline).last { !$0.allSatisfy(\.isWhitespace) }.map(String.init)
        return Result(
            termination: outcome.termination, lastError: lastError, output: outcome.output, truncated: outcome.truncated,
            stdout: (try? String(contentsOfFile: stdoutFile, encoding: .utf8)) ?? "", files: after)
    }

    /// A new 0700 directory under the webhook's temp directory.
    static func makePrivateDirectory() throws -> String {
        var template = Array((NSTemporaryDirectory() + "/dns01-acmesh.XXXXXX").utf8CString)
        let made = template.withUnsafeMutableBufferPointer { buffer in mkdtemp(buffer.baseAddress!) }
        guard made != nil else {
            let reason = String(cString: strerror(errno))
            throw DNS01Error(
                .providerUnavailable,
                "acmesh: cannot create a private directory in \(NSTemporaryDirectory()): \(reason); the webhook needs a writable temp directory (the chart mounts an emptyDir on /tmp with image.flavor: acmesh)"
            )
        }
        return String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
