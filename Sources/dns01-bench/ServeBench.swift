import ArgumentParser
import Foundation
import NIOCore
import NIOSSL

/// `dns01-bench serve`: Present+CleanUp through `dns01-webhook serve` (memory provider, client
/// certificate in system:masters, so no SubjectAccessReview) at 1, 16 and 64 keep-alive TLS
/// connections, next to a bare SwiftNIO TLS server answering a fixed body in the same run;
/// resident memory idle and under load; process start to `/readyz` 200. Prints figures only.
///
/// Run from the repository root after `scripts/build-release` (the shipped build, docs/memory.md):
/// `.build/release/dns01-bench serve --binary .build/release/dns01-webhook`
struct ServeBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "serve", abstract: "Requests/s, latency, RSS and start-up time of `dns01-webhook serve` against a bare SwiftNIO TLS server.")

    @Option(help: "The dns01-webhook binary to run.") var binary = ".build/release/dns01-webhook"
    @Option(help: "Seconds of load per connection count and server.") var seconds = 5.0
    @Option(help: "Comma-separated connection counts.") var connections = "1,16,64"
    @Option(help: "Start-up measurements (the median is reported).") var startRounds = 7
    @Option(help: "Rounds per connection count, bare and serve alternating; medians are reported.") var rounds = 3

    func run() async throws {
        let pki = try makePKI()
        var client = TLSConfiguration.makeClientConfiguration()
        client.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(pki["servingCACert"]!))
        client.certificateChain = try NIOSSLCertificate.fromPEMFile(pki["aliceCert"]!).map { .certificate($0) }
        client.privateKey = .privateKey(try NIOSSLPrivateKey(file: pki["aliceKey"]!, format: .pem))

        let webhook = try ChildProcess(binary, serveArguments(pki: pki, port: 0) + ["--announce"])
        defer { webhook.stop() }
        let baseline = try ChildProcess(
            CommandLine.arguments[0],
            [
                "serve-baseline-server", "--certificate", pki["servingACert"]!, "--key", pki["servingAKey"]!,
            ])
        defer { baseline.stop() }
        try await Task.sleep(for: .milliseconds(300))
        let idleRSS = webhook.residentKilobytes()

        let counts = connections.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        let duration = Duration.milliseconds(Int64(seconds * 1000))
        say("Present+CleanUp through serve (memory provider) vs a bare SwiftNIO TLS server, keep-alive TLS 1.3")
        say("\(rounds) rounds of \(seconds) s per server and connection count, alternating; each figure is the median over rounds")
        say("conns  server     req/s      p50 ms   p99 ms   failures   serve/bare req/s   p99 added ms")
        var peakRSS = idleRSS
        for count in counts {
            var bareRounds: [ServeLoadGenerator.Result] = []
            var serveRounds: [ServeLoadGenerator.Result] = []
            for _ in 0..<rounds {
                let bare = ServeLoadGenerator(port: baseline.port, path: "/", tls: client, successMarker: "\"success\":true")
                let serve = ServeLoadGenerator(port: webhook.port, path: "/apis/acme.example.com/v1alpha1/memory", tls: client, successMarker: "\"success\":true")
                bareRounds.append(try await bare.run(connections: count, duration: duration, bodies: Self.bodies))
                let pid = webhook.process.processIdentifier
                let sampler = Task { () -> Int in
                    var peak = 0
                    while !Task.isCancelled {
                        peak = max(peak, ChildProcess.residentKilobytes(pid: pid))
                        try? await Task.sleep(for: .milliseconds(50))
                    }
                    return peak
                }
                serveRounds.append(try await serve.run(connections: count, duration: duration, bodies: Self.bodies))
                sampler.cancel()
                peakRSS = max(peakRSS, await sampler.value)
            }
            let ratios = zip(serveRounds, bareRounds).map { $0.requestsPerSecond / $1.requestsPerSecond }
            let added = zip(serveRounds, bareRounds).map { ($0.percentile(0.99) - $1.percentile(0.99)).milliseconds }
            say(row(count, "bare", Summary(bareRounds), ratio: nil, added: nil))
            say(row(count, "serve", Summary(serveRounds), ratio: median(ratios), added: median(added)))
        }
        say("RSS of serve: idle \(idleRSS / 1024) MB, peak under load \(peakRSS / 1024) MB (goals: <= 20 MB / <= 60 MB)")
        webhook.stop()

        var startups: [Duration] = []
        for _ in 0..<startRounds {
            startups.append(try await timeToReady(pki: pki, client: client))
        }
        startups.sort()
        say(
            "process start to /readyz 200: median \(format(startups[startups.count / 2].milliseconds)) ms, min \(format(startups[0].milliseconds)) ms, max \(format(startups[startups.count - 1].milliseconds)) ms over \(startRounds) starts (goal <= 100 ms)"
        )
    }

    /// Present then CleanUp of one key per connection, as cert-manager sends them.
    @Sendable static func bodies(connection: Int) -> [ByteBuffer] {
        ["Present", "CleanUp"].map { action in
            ByteBuffer(
                string: """
                    {"request":{"uid":"","action":"\(action)","type":"dns-01","dnsName":"c\(connection).example.com","key":"key-\(connection)",\
                    "resourceNamespace":"cert-manager","resolvedFQDN":"_acme-challenge.c\(connection).example.com.","resolvedZone":"example.com.",\
                    "allowAmbientCredentials":false,"config":{}}}
                    """)
        }
    }

    private func serveArguments(pki: [String: String], port: Int) -> [String] {
        [
            "serve", "--group-name", "acme.example.com", "--bind-address", "127.0.0.1", "--secure-port", String(port),
            "--tls-cert-file", pki["servingACert"]!, "--tls-private-key-file", pki["servingAKey"]!,
            "--authentication-skip-lookup", "--client-ca-file", pki["clusterCACert"]!, "--log-level", "warning",
        ]
    }

    /// Spawns `serve` on a port chosen beforehand and polls `/readyz` until it answers 200.
    private func timeToReady(pki: [String: String], client: TLSConfiguration) async throws -> Duration {
        let port = try ChildProcess.freePort()
        let clock = ContinuousClock()
        let started = clock.now
        let process = try ChildProcess(binary, serveArguments(pki: pki, port: port), announces: false)
        defer { process.stop() }
        let probe = ServeLoadGenerator(port: port, path: "/readyz", tls: client, successMarker: "")
        while clock.now - started < .seconds(10) {
            if (try? await probe.get("/readyz")) == 200 { return clock.now - started }
            try await Task.sleep(for: .milliseconds(1))
        }
        throw ValidationError("serve did not become ready within 10 s")
    }

    private func makePKI() throws -> [String: String] {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("dns01-bench-\(UUID().uuidString)").path
        let pki = Process()
        pki.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        pki.arguments = ["python3", "Tests/Peers/pki.py", directory]
        let output = Pipe()
        pki.standardOutput = output
        try pki.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        pki.waitUntilExit()
        guard pki.terminationStatus == 0, let files = try JSONSerialization.jsonObject(with: data) as? [String: String] else {
            throw ValidationError("Tests/Peers/pki.py failed (run from the repository root with python3-cryptography installed)")
        }
        return files
    }

    /// Medians over rounds of one server at one connection count.
    struct Summary {
        var requestsPerSecond: Double
        var p50: Double
        var p99: Double
        var failures: Int

        init(_ rounds: [ServeLoadGenerator.Result]) {
            requestsPerSecond = median(rounds.map(\.requestsPerSecond))
            p50 = median(rounds.map { $0.percentile(0.5).milliseconds })
            p99 = median(rounds.map { $0.percentile(0.99).milliseconds })
            failures = rounds.reduce(0) { $0 + $1.failures }
        }
    }

    private func row(_ count: Int, _ name: String, _ result: Summary, ratio: Double?, added: Double?) -> String {
        let columns = [
            String(count).padded(6), name.padded(7), format(result.requestsPerSecond, digits: 0).leftPadded(9),
            format(result.p50).leftPadded(11), format(result.p99).leftPadded(8),
            String(result.failures).leftPadded(10), (ratio.map { format($0 * 100, digits: 0) + " %" } ?? "").leftPadded(18),
            (added.map { format($0) } ?? "").leftPadded(14),
        ]
        return columns.joined(separator: " ")
    }
}

/// The middle value (the mean of the middle two for an even count).
func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    guard !sorted.isEmpty else { return 0 }
    let middle = sorted.count / 2
    return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}

extension Duration {
    var milliseconds: Double { seconds * 1000 }
}

extension String {
    func leftPadded(_ width: Int) -> String { count >= width ? self : String(repeating: " ", count: width - count) + self }
}

/// Prints a line at once (stdout may be a pipe; the figures should show as they are measured).
func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

func format(_ value: Double, digits: Int = 2) -> String {
    String(format: "%.\(digits)f", value)
}

extension ServeLoadGenerator {
    /// One GET on a fresh connection; the status code.
    func get(_ path: String) async throws -> Int {
        let context = try NIOSSLContext(configuration: tls)
        return try await fetchStatus(context: context, path: path)
    }
}
