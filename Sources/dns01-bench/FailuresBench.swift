import ArgumentParser
import DNS01
import FailureScenarios

/// `dns01-bench failures`: time to error of one Present, per provider, for each way its endpoint
/// can fail (refused, unknown host, black hole, TLS mismatch, 401), through the dispatcher
/// within a challenge budget as `serve` gives one. Goal: at most 5 s for all but the black
/// hole, which ends at the budget; and one request for every failure but the black hole.
struct FailuresBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "failures", abstract: "Time to error and requests per Present when the provider endpoint fails, per provider.")

    @Option(help: "The challenge budget in seconds (serve's default --request-timeout of 25 s less its margin).") var budget = 22.5
    @Option(help: "Only these providers (comma-separated).") var only: String?
    @Flag(help: "Print each failure's message under the table.") var messages = false

    func run() async throws {
        let wanted = only.map { Set($0.split(separator: ",").map(String.init)) }
        let subjects = FailureSubject.all.filter { wanted?.contains($0.name) ?? true }
        let budget = Duration.milliseconds(Int64(self.budget * 1000))
        let endpoints = try await FailingEndpoints.start()
        // The black hole of every provider at once: each ends at the budget.
        async let blackHoles = withTaskGroup(of: (String, FailureOutcome?).self) { group in
            for subject in subjects {
                group.addTask { (subject.name, try? await subject.present(against: endpoints.baseURL(.blackHole), budget: budget)) }
            }
            var outcomes: [String: FailureOutcome] = [:]
            for await (name, outcome) in group { outcomes[name] = outcome }
            return outcomes
        }
        var rows: [(String, [EndpointFailure: FailureOutcome])] = []
        for subject in subjects {
            var row: [EndpointFailure: FailureOutcome] = [:]
            for failure in EndpointFailure.allCases where failure != .blackHole {
                row[failure] = try? await subject.present(against: endpoints.baseURL(failure), budget: budget)
            }
            rows.append((subject.name, row))
        }
        let holes = await blackHoles
        try await endpoints.stop()

        print("seconds to error (requests sent) of one Present, budget \(self.budget) s")
        print("provider".padding(14) + EndpointFailure.allCases.map { $0.rawValue.padding(15) }.joined())
        for (name, var row) in rows {
            row[.blackHole] = holes[name]
            print(name.padding(14) + EndpointFailure.allCases.map { cell(row[$0]).padding(15) }.joined())
        }
        if messages {
            for (name, var row) in rows {
                row[.blackHole] = holes[name]
                print("\n\(name)")
                for failure in EndpointFailure.allCases { print("  \(failure.rawValue): \(row[failure]?.message ?? "(no error)")") }
            }
        }
    }

    private func cell(_ outcome: FailureOutcome?) -> String {
        guard let outcome else { return "not run" }
        guard outcome.message != nil else { return "no error" }
        let seconds = outcome.elapsed.seconds
        let time = seconds < 10 ? String(format: "%.3f", seconds) : String(format: "%.1f", seconds)
        return "\(time) (\(outcome.requests))"
    }
}
