import ArgumentParser

/// Benchmarks print figures; they never assert. Run release builds:
/// `swift run -c release dns01-bench <name>`.
@main
struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dns01-bench",
        abstract: "dns01-webhook benchmarks (print medians and ratios measured side by side in one run).",
        subcommands: [
            SelectorBench.self, AliDNSSignerBench.self, DNSPodSignerBench.self, HuaweiCloudSignerBench.self, Route53Bench.self,
            ServeBench.self, ServeBaselineServer.self, ProvidersBench.self, AzureTokenBench.self, FailuresBench.self,
        ]
    )
}

/// Runs `body` `rounds` times and returns the sorted per-round durations.
func measure(rounds: Int, _ body: () throws -> Void) rethrows -> [Duration] {
    let clock = ContinuousClock()
    var samples: [Duration] = []
    for _ in 0..<rounds {
        let start = clock.now
        try body()
        samples.append(clock.now - start)
    }
    return samples.sorted()
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}

func median(_ samples: [Duration]) -> Duration { samples[samples.count / 2] }
