import Foundation
import SolverCheck
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `check --output json`: one document with what was checked, every step, and the outcome.
/// Its shape is documented in README.md ("CLI") and parsed by a test.
struct CheckReport: Encodable {
    struct StepReport: Encodable {
        var name: String
        /// `pass`, `fail` or `not-applicable`.
        var outcome: String
        var elapsedSeconds: Double
        var detail: String

        init(_ step: SolverCheck.Step) {
            name = step.name
            outcome =
                switch step.outcome {
                case .passed: "pass"
                case .failed: "fail"
                case .notApplicable: "not-applicable"
                }
            elapsedSeconds = step.elapsed.checkSeconds
            detail = step.detail
        }
    }

    var passed = false
    var solver: String?
    var domain: String
    var fqdn: String?
    var nameserver: String?
    var timeoutSeconds: Double
    var elapsedSeconds: Double = 0
    var steps: [StepReport] = []
    /// Why the check could not start (a config, Secret or flag problem); no steps then.
    var error: String?

    init(domain: String, nameserver: String?, timeoutSeconds: Double) {
        self.domain = domain
        self.nameserver = nameserver
        self.timeoutSeconds = timeoutSeconds
    }

    enum CodingKeys: String, CodingKey {
        case passed, solver, domain, fqdn, nameserver, timeoutSeconds, elapsedSeconds, steps, error
    }

    /// Every key is always present (`null` when unknown), so a consumer need not guess.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(passed, forKey: .passed)
        try container.encode(solver, forKey: .solver)
        try container.encode(domain, forKey: .domain)
        try container.encode(fqdn, forKey: .fqdn)
        try container.encode(nameserver, forKey: .nameserver)
        try container.encode(timeoutSeconds, forKey: .timeoutSeconds)
        try container.encode(elapsedSeconds, forKey: .elapsedSeconds)
        try container.encode(steps, forKey: .steps)
        try container.encode(error, forKey: .error)
    }

    var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? #"{"passed": false, "error": "the report could not be encoded"}"#
    }
}

/// The steps as they are reported, kept for the JSON document.
final class CollectedSteps: Sendable {
    private let steps = Mutex<[SolverCheck.Step]>([])
    func append(_ step: SolverCheck.Step) { steps.withLock { $0.append(step) } }
    var all: [SolverCheck.Step] { steps.withLock { $0 } }
}

/// Progress on stderr. On a terminal, one line rewritten in place (cut to the terminal's
/// width, so rewriting it never leaves wrapped remains) and cleared before the next step's
/// line; anywhere else (a CI log, a pipe), a plain line each time.
final class ProgressLine: Sendable {
    private let terminalWidth: Int?
    private let showing = Mutex(false)

    init() {
        guard isatty(STDERR_FILENO) == 1 else {
            terminalWidth = nil
            return
        }
        var size = winsize()
        terminalWidth = ioctl(STDERR_FILENO, UInt(TIOCGWINSZ), &size) == 0 && size.ws_col > 0 ? Int(size.ws_col) : 80
    }

    func show(_ text: String) {
        let line = "... " + text
        guard let terminalWidth else {
            FileHandle.standardError.write(Data((line + "\n").utf8))
            return
        }
        let cut = line.count < terminalWidth ? line : String(line.prefix(terminalWidth - 2)) + "…"
        showing.withLock { shown in
            FileHandle.standardError.write(Data(("\r\u{1B}[2K" + cut).utf8))
            shown = true
        }
    }

    func clear() {
        guard terminalWidth != nil else { return }
        showing.withLock { shown in
            if shown { FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8)) }
            shown = false
        }
    }
}

extension Duration {
    /// Seconds with millisecond precision, as the JSON report gives them.
    var checkSeconds: Double {
        let (seconds, attoseconds) = components
        return (Double(seconds) * 1000 + (Double(attoseconds) / 1e15).rounded()) / 1000
    }
}
