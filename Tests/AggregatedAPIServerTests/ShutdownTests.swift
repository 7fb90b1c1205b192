import AsyncHTTPClient
import Foundation
import ServerTestSupport
import TestSupport
import Testing

/// The built binary: `dns01-webhook serve` as a process, stopped with SIGTERM.
@Suite("Graceful shutdown of the serve process")
struct ShutdownTests {
    @Test("SIGTERM while challenges are in flight: every one is answered, then the process exits 0")
    func sigtermDrains() async throws {
        let pki = TestPKI.shared
        let directory = try makeTemporaryDirectory("shutdown")
        let config = "\(directory)/config.yaml"
        try "memory:\n  latency: 1500ms\n".write(toFile: config, atomically: true, encoding: .utf8)
        let arguments = [
            "serve", "--group-name", "acme.example.com", "--bind-address", "127.0.0.1", "--secure-port", "0",
            "--tls-cert-file", pki["servingACert"], "--tls-private-key-file", pki["servingAKey"],
            "--authentication-skip-lookup", "--client-ca-file", pki["clusterCACert"],
            "--config", config, "--shutdown-grace-period", "20s", "--log-format", "json", "--announce",
        ]
        let process = try await PeerProcess.start(webhookBinary, arguments)
        defer { process.stop() }
        let url = "https://127.0.0.1:\(process.port)"

        // Fewer than AsyncHTTPClient's 8 connections per host, so /metrics gets through.
        let inFlight = 6
        try await withThrowingTaskGroup(of: HTTPAnswer.self) { requests in
            for index in 0..<inFlight {
                requests.addTask {
                    try await send(.POST, url + "/apis/acme.example.com/v1alpha1/dispatch", as: .alice, body: challengePayload(key: "drain-\(index)", config: nil))
                }
            }
            // Wait until the server holds them all (the metrics request itself is one more).
            let holding = await eventually {
                let metrics = try? await send(.GET, url + "/metrics", as: .alice)
                let line = metrics?.body.split(separator: "\n").first { $0.hasPrefix("dns01_webhook_http_requests_in_flight ") }
                return (line.flatMap { Double($0.split(separator: " ").last ?? "") } ?? 0) >= Double(inFlight + 1)
            }
            #expect(holding)
            kill(process.process.processIdentifier, SIGTERM)
            var answered = 0
            for try await answer in requests {
                #expect(answer.status == 201)
                #expect(answer.challengeSucceeded == true, "\(answer.body)")
                answered += 1
            }
            #expect(answered == inFlight)
        }
        let status = try await offloaded { () -> Int32 in
            process.process.waitUntilExit()
            return process.process.terminationStatus
        }
        #expect(status == 0)
        // Structured logs: every stderr line is a JSON object; the shutdown is in them.
        let lines = process.stderrText.split(separator: "\n")
        #expect(lines.allSatisfy { (try? JSONSerialization.jsonObject(with: Data($0.utf8))) is [String: Any] })
        #expect(process.stderrText.contains("shutting down"))
    }

    @Test("with --shutdown-delay-duration, SIGTERM fails /readyz at once while new connections are still answered; then the process exits 0")
    func shutdownDelay() async throws {
        let pki = TestPKI.shared
        let arguments = [
            "serve", "--group-name", "acme.example.com", "--bind-address", "127.0.0.1", "--secure-port", "0",
            "--tls-cert-file", pki["servingACert"], "--tls-private-key-file", pki["servingAKey"],
            "--authentication-skip-lookup", "--client-ca-file", pki["clusterCACert"],
            "--shutdown-delay-duration", "10s", "--shutdown-grace-period", "10s", "--announce",
        ]
        let process = try await PeerProcess.start(webhookBinary, arguments)
        defer { process.stop() }
        func fresh(_ requestLine: String, body: String = "") async throws -> RawExchange {
            // A new connection each time, closed by the server after its answer.
            try await rawExchange(port: process.port, sending: "\(requestLine)\r\nHost: x\r\nConnection: close\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)")
        }
        let readyz = "GET /readyz HTTP/1.1"
        #expect(try await fresh(readyz).statusLines == ["HTTP/1.1 200 OK"])

        let clock = ContinuousClock()
        kill(process.process.processIdentifier, SIGTERM)
        let signalled = clock.now
        let notReady = await eventually(timeout: .seconds(5)) {
            (try? await fresh(readyz))?.statusLines == ["HTTP/1.1 500 Internal Server Error"]
        }
        #expect(notReady)
        let payload = challengePayload(dnsName: "late.example.com", key: "during-delay")
        let challenge = try await fresh("POST /apis/acme.example.com/v1alpha1/memory HTTP/1.1", body: payload)
        #expect(clock.now - signalled < .seconds(10), "the checks must run inside the delay to prove anything")
        #expect(challenge.statusLines == ["HTTP/1.1 201 Created"])
        #expect(challenge.text.contains("\"success\":true"))

        let status = try await offloaded { () -> Int32 in
            process.process.waitUntilExit()
            return process.process.terminationStatus
        }
        #expect(status == 0)
        #expect(clock.now - signalled >= .milliseconds(9900))
    }
}
