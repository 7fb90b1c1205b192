import ArgumentParser
import DNS01
import Logging

/// `dns01-bench providers`: for every provider, against its emulator or real server on
/// 127.0.0.1, the API calls and the wall time of a warm Present and a warm CleanUp (zone list
/// and credentials cached), through the dispatcher as `serve` runs them.
struct ProvidersBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "providers", abstract: "API calls and wall time per Present/CleanUp, per provider, against local emulators.")

    @Option(help: "Present/CleanUp pairs measured per provider (after one warm-up pair).") var rounds = 20
    @Option(help: "Only these providers (comma-separated; `lock` for the record-name lock rows).") var only: String?

    func run() async throws {
        let wanted = only.map { Set($0.split(separator: ",").map(String.init)) }
        print("provider        calls/Present  calls/CleanUp  Present p50 ms  CleanUp p50 ms  Present p90 ms  CleanUp p90 ms")
        for subject in ProviderBenchSubject.all where wanted?.contains(subject.name) ?? true {
            do {
                let row = try await measure(subject)
                print(row)
            } catch {
                print("\(subject.name.padding(16))not measured: \(error)")
            }
        }
        print("\n(\(rounds) pairs each after one warm-up pair; calls are the most any measured step made; times are medians and 90th percentiles)")
        if wanted?.contains("cloudDNS") ?? true {
            do {
                print(try await CloudDNSTokenCost.measure(rounds: rounds))
            } catch {
                print("cloudDNS token acquisition not measured: \(error)")
            }
        }
        if wanted == nil || wanted?.contains("lock") == true { await NameLockBench.report(rounds: rounds) }
    }

    private func measure(_ subject: ProviderBenchSubject) async throws -> String {
        let target = try await subject.start()
        defer { target.stop() }
        let dispatcher = try ChallengeDispatcher(
            registry: target.registry, defaultConfig: .object([subject.name: target.config]), secrets: target.secrets,
            logger: Logger(label: "bench"), environment: [:]
        )
        func challenge(_ action: Challenge.Action, _ name: DomainName, _ key: String) -> Challenge {
            Challenge(action: action, dnsName: name.parent ?? name, resolvedFQDN: name, resolvedZone: target.zone, key: key, resourceNamespace: target.namespace)
        }
        let warm = try DomainName("_acme-challenge.warm.\(target.zone.name)")
        try await dispatcher.perform(challenge(.present, warm, benchKey(1_000_000)), solver: subject.name)
        try await dispatcher.perform(challenge(.cleanUp, warm, benchKey(1_000_000)), solver: subject.name)

        let clock = ContinuousClock()
        var presentCalls = 0
        var cleanUpCalls = 0
        var presentTimes: [Duration] = []
        var cleanUpTimes: [Duration] = []
        for round in 0..<rounds {
            let name = try DomainName("_acme-challenge.round\(round).\(target.zone.name)")
            let key = benchKey(round)
            var before = try await target.apiCalls()
            var start = clock.now
            try await dispatcher.perform(challenge(.present, name, key), solver: subject.name)
            presentTimes.append(clock.now - start)
            presentCalls = max(presentCalls, try await target.apiCalls() - before)
            before = try await target.apiCalls()
            start = clock.now
            try await dispatcher.perform(challenge(.cleanUp, name, key), solver: subject.name)
            cleanUpTimes.append(clock.now - start)
            cleanUpCalls = max(cleanUpCalls, try await target.apiCalls() - before)
        }
        presentTimes.sort()
        cleanUpTimes.sort()
        func ms(_ d: Duration) -> String { String(format: "%.2f", d.seconds * 1000) }
        func p90(_ samples: [Duration]) -> Duration { samples[min(samples.count - 1, samples.count * 9 / 10)] }
        return subject.name.padding(16) + "\(presentCalls)".padding(15) + "\(cleanUpCalls)".padding(15)
            + ms(median(presentTimes)).padding(16) + ms(median(cleanUpTimes)).padding(16) + ms(p90(presentTimes)).padding(16) + ms(p90(cleanUpTimes))
    }
}

extension String {
    func padding(_ width: Int) -> String { count >= width ? self + " " : self + String(repeating: " ", count: width - count) }
}
