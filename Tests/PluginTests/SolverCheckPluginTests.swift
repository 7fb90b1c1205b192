import TestSupport
import Testing

/// `swift package solver-check …` builds the CLI and runs `check` with its arguments.
@Suite("solver-check command plugin", .serialized)
struct SolverCheckPluginTests {
    /// In this package itself, whose build is up to date when tests run (so the plugin's build
    /// step has nothing to do); `--ignore-lock` because `swift test` holds the build lock.
    func solverCheck(_ arguments: [String]) async throws -> CommandResult {
        try await runCommand("swift", ["package", "--package-path", repositoryRoot, "--ignore-lock", "solver-check"] + arguments)
    }

    @Test("passes check's output and exit status 0 through, against the memory provider")
    func passes() async throws {
        let result = try await solverCheck([
            "--config", "\(repositoryRoot)/examples/memory.yaml", "--domain", "www.example.com",
            "--poll-interval", "0.05", "--timeout", "5",
        ])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("PASS  extended: key B gone, key A kept"))
        #expect(result.stdout.hasSuffix("check passed\n"))
    }

    @Test("passes a failing check's exit status 1 through")
    func fails() async throws {
        let result = try await solverCheck([
            "--config", "\(repositoryRoot)/examples/memory.yaml", "--domain", "www.elsewhere.net",
            "--basic-only", "--poll-interval", "0.05", "--timeout", "1",
        ])
        #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("not found in the memory provider (zones: test)"))
        #expect(result.stdout.hasSuffix("check FAILED\n"))
    }
}
