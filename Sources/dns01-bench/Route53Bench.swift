import ArgumentParser
import DNS01
import Foundation
import Logging
import ProviderKit
import Route53Emulator
import Route53Provider

/// Route53 figures: concurrent Presents coalesced under the 5 requests/s account limit, and
/// SigV4 signatures per second per core next to botocore's, measured in the same run.
struct Route53Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "route53", abstract: "Route53: batching under the rate limit, and SigV4 signing speed vs botocore.")

    @Option(help: "Concurrent Presents per round, all on one zone.") var challenges = 2000
    @Option(help: "Rounds of the batching benchmark (medians are reported).") var rounds = 3
    @Option(help: "Requests per second the local Route53 endpoint allows.") var rateLimit = 5.0
    @Option(help: "Simulated Route53 service time per request, in milliseconds.") var latencyMs = 50
    @Option(help: "Signatures per SigV4 round.") var signatures = 20_000
    @Option(help: "The botocore oracle (sigv4_oracle.py).") var oracle = "\(benchRepositoryRoot)/Tests/Peers/sigv4_oracle.py"
    @Option(help: "Python interpreter for the oracle.") var python = "python3"

    func run() async throws {
        try await batching()
        try signing()
    }

    private func batching() async throws {
        print("Route53 batching: \(challenges) concurrent Presents on one zone, local HTTP endpoint allowing \(rateLimit) req/s (burst 5), \(latencyMs) ms per request, zone busy 100 ms after each change")
        print("round   wall s   change calls   calls/challenge   all requests   throttled   batches (sizes)")
        var walls: [Duration] = []
        var perChallenge: [Double] = []
        for round in 1...rounds {
            var options = Route53Emulator.Options()
            options.requestsPerSecond = rateLimit
            options.burst = 5
            options.latency = .milliseconds(latencyMs)
            options.zoneBusyAfterChange = .milliseconds(100)
            let emulator = Route53Emulator(options: options)
            emulator.addZone("example.com")
            let count = challenges
            let (wall, failures) = try await Route53EmulatorServer(emulator: emulator).run { endpoint in
                let plugin = Route53Plugin()
                let configuration = try plugin.decodeConfiguration(
                    ["accessKeyID": "AKIDBENCH", "secretAccessKeySecretRef": ["name": "aws", "key": "secret"], "endpoint": .string(endpoint)],
                    at: .root.appending("route53"), source: .operatorConfig
                )
                let context = ProviderContext(
                    namespace: "bench", secrets: StaticSecretSource([.init(namespace: "bench", name: "aws"): ["secret": SecretValue("bench-secret")]]),
                    allowAmbientCredentials: false, origin: .operatorConfig, logger: Logger(label: "bench"), environment: [:]
                )
                let clock = ContinuousClock()
                let start = clock.now
                let failures = await withTaskGroup(of: Bool.self) { group in
                    for index in 0..<count {
                        group.addTask {
                            do {
                                let provider = try await plugin.makeProvider(for: configuration, context: context)
                                let name = try DomainName("_acme-challenge.host\(index % 200).example.com")
                                try await provider.present(Challenge(action: .present, dnsName: name, resolvedFQDN: name, key: benchKey(index), resourceNamespace: "bench"))
                                return true
                            } catch {
                                return false
                            }
                        }
                    }
                    var failed = 0
                    for await ok in group where !ok { failed += 1 }
                    return failed
                }
                return (clock.now - start, failures)
            }
            let calls = emulator.calls("ChangeResourceRecordSets")
            let all = ["ListHostedZonesByName", "ChangeResourceRecordSets", "GetChange", "ListResourceRecordSets"].reduce(0) { $0 + emulator.calls($1) }
            let ratio = Double(calls) / Double(count)
            walls.append(wall)
            perChallenge.append(ratio)
            let sizes = emulator.acceptedBatchSizes.map(String.init).joined(separator: ",")
            print(
                "\(String(round).padded(7)) \(String(format3(wall.seconds)).padded(8)) \(String(calls).padded(14)) \(String(format: "%.4f", ratio).padded(17)) \(String(all).padded(14)) \(String(emulator.throttledCount).padded(11)) \(emulator.acceptedBatchSizes.count) (\(sizes))\(failures > 0 ? "  FAILED: \(failures)" : "")"
            )
        }
        let medianWall = median(walls.sorted())
        let medianRatio = perChallenge.sorted()[perChallenge.count / 2]
        print("median: wall \(format3(medianWall.seconds)) s (goal ≤ 15 s), \(String(format: "%.4f", medianRatio)) change calls per challenge (goal ≤ 0.05)")
        print("")
    }

    private func signing() throws {
        let signer = SigV4Signer(credentials: AWSCredentials(accessKeyID: "AKIDEXAMPLE", secretAccessKey: SecretValue("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")), region: "us-east-1", service: "route53")
        // The same request botocore's bench signs (sigv4_oracle.py --bench).
        let request = APIRequest(
            method: "POST", url: "https://route53.amazonaws.com/2013-04-01/hostedzone/Z1D633PJN98FT9/rrset",
            headers: [.init("Content-Type", "text/xml")], body: Array(String(repeating: "<ChangeResourceRecordSetsRequest/>", count: 20).utf8)
        )
        let time = AWSTimestamp(secondsSince1970: 1_440_938_160)
        var checksum = 0
        let samples = measure(rounds: 5) {
            for _ in 0..<signatures { checksum &+= signer.sign(request, at: time).signature.utf8.count }
        }
        precondition(checksum > 0)
        let ours = Double(signatures) / median(samples).seconds
        print("SigV4 signing, one core (Route53 ChangeResourceRecordSets request, 680-byte body)")
        print("swift (median of 5 × \(signatures)): \(Int(ours)) signatures/s")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [python, oracle, "--bench", String(signatures)]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard let object = try? JSONSerialization.jsonObject(with: output) as? [String: Any], let theirs = object["signaturesPerSecond"] as? Double else {
            print("botocore: unavailable (\(python) \(oracle) --bench failed)")
            return
        }
        print("botocore (\(signatures)): \(Int(theirs)) signatures/s")
        print("ratio swift/botocore: \(format2(ours / theirs))x")
    }
}

/// A distinct ACME-shaped (43 character) key per index.
func benchKey(_ index: Int) -> String {
    let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
    var state = UInt64(index) &* 0x9E37_79B9_7F4A_7C15 &+ 1
    return String(
        (0..<43).map { _ in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return alphabet[Int((state >> 33) % 64)]
        })
}

func format3(_ value: Double) -> String { String(format: "%.3f", value) }

/// The package root, from this file's location (for the oracle script).
let benchRepositoryRoot: String = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<3 { url.deleteLastPathComponent() }
    return url.path
}()
