import Foundation
import Testing

/// Runs one test alone, in a test process of its own, when it must not share Swift's
/// cooperative pool with the tests `swift test` runs beside it: one that saturates the pool on
/// purpose (it would stall the others), or one whose claim is a timer on that pool beating a
/// timer elsewhere by a margin the product fixes (another test's CPU-bound work on the pool's
/// two threads would delay it). The kernel still shares the CPU, but the pool is the test's own.
///
/// In a test body: `guard try await ownTestProcess("Suite/test") else { return }`, then the
/// scenario. In `swift test` this starts the test binary again with `--filter Suite/test`,
/// records an issue unless that run passed exactly one test, and returns false; in the started
/// process it returns true and the scenario runs.
public func ownTestProcess(_ test: String, sourceLocation: SourceLocation = #_sourceLocation) async throws -> Bool {
    let variable = "DNS01_TEST_OWN_PROCESS"
    if ProcessInfo.processInfo.environment[variable] == test { return true }
    let result = try await runCommand(
        "/proc/self/exe", ["--testing-library", "swift-testing", "--filter", test], environment: [variable: test])
    let output = result.stdout + result.stderr
    #expect(result.status == 0, "\(test) failed in its own test process: \(output)", sourceLocation: sourceLocation)
    #expect(
        output.contains("Test run with 1 test ") && output.contains(" passed "),
        "\(test) did not run in its own test process: \(output)", sourceLocation: sourceLocation)
    return false
}
