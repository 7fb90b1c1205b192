import ArgumentParser
import DNS01

/// Selector lookups per second with 10, 10k and 100k zones: the cost must stay flat, because
/// the lookup probes the domain's suffixes, not the zones.
struct SelectorBench: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "selector", abstract: "ProviderSelector lookups per second by zone count.")

    @Option(help: "Lookups per round.") var lookups = 200_000
    @Option(help: "Rounds per zone count (the median is reported).") var rounds = 7

    func run() throws {
        print("zones      lookups/s (median of \(rounds))   ns/lookup   vs 10 zones")
        var baseline: Double?
        for zoneCount in [10, 10_000, 100_000] {
            let rules = try (0..<zoneCount).map { index in
                ProviderSelector<Int>.Rule(label: "z\(index)", dnsZones: [try DomainName("zone\(index).example.com")], value: index)
            }
            let selector = try ProviderSelector(rules: rules)
            // Half the queries hit a zone at depth 3 below it, half miss after probing every suffix.
            let queries = try (0..<1024).map { index -> DomainName in
                index.isMultiple(of: 2)
                    ? try DomainName("_acme-challenge.www.zone\((index * 7919) % zoneCount).example.com")
                    : try DomainName("_acme-challenge.www.nozone\(index).example.org")
            }
            var hits = 0
            let samples = measure(rounds: rounds) {
                for index in 0..<lookups where selector.select(queries[index & 1023]) != nil { hits += 1 }
            }
            let perSecond = Double(lookups) / median(samples).seconds
            baseline = baseline ?? perSecond
            let ratio = perSecond / (baseline ?? perSecond)
            print("\(String(zoneCount).padded(9))  \(String(Int(perSecond)).padded(26))  \(String(Int(1e9 / perSecond)).padded(10))   \(String(format2(ratio)))x")
            precondition(hits > 0, "benchmark queries must hit")
        }
    }
}

extension String {
    func padded(_ width: Int) -> String { count >= width ? self : self + String(repeating: " ", count: width - count) }
}

func format2(_ value: Double) -> String {
    let scaled = Int((value * 100).rounded())
    return "\(scaled / 100).\(String(scaled % 100).count == 1 ? "0" : "")\(scaled % 100)"
}
