import AsyncHTTPClient
import DNS01
import Foundation
import NIOCore
import NIOHTTP1
import ServerTestSupport
import TestSupport
import Testing

/// The API cert-manager and the aggregator use, over real TLS, as alice (system:masters).
@Suite("Challenge and discovery API")
struct ChallengeAPITests {
    let solverURL = "/apis/acme.example.com/v1alpha1"

    @Test("discovery lists the group and every served solver")
    func discovery() async throws {
        try await withWebhookServer(.flagsOnly) { server in
            let groups = try await send(.GET, server.url + "/apis", as: .alice)
            #expect(groups.header("Content-Type") == "application/json")
            let group = (groups.json?["groups"] as? [[String: Any]])?.first
            #expect(group?["name"] as? String == "acme.example.com")
            let resources = try await send(.GET, server.url + solverURL, as: .alice)
            let names = (resources.json?["resources"] as? [[String: Any]])?.compactMap { $0["name"] as? String }
            #expect(names == ["dispatch", "memory"])
            let resource = (resources.json?["resources"] as? [[String: Any]])?.first
            #expect(resource?["verbs"] as? [String] == ["create"])
            #expect(resource?["namespaced"] as? Bool == false)
            let apiGroup = try await send(.GET, server.url + "/apis/acme.example.com", as: .alice)
            #expect(apiGroup.json?["kind"] as? String == "APIGroup")
        }
    }

    @Test("Present adds the record and CleanUp removes it; the answer echoes the request with a response")
    func presentAndCleanUp() async throws {
        try await withWebhookServer(.flagsOnly) { server in
            let present = try await send(.POST, server.url + solverURL + "/memory", as: .alice, body: challengePayload(key: "value-1"))
            #expect(present.status == 201)
            #expect(present.header("Content-Type") == "application/json")
            #expect(present.challengeSucceeded == true)
            #expect((present.json?["request"] as? [String: Any])?["key"] as? String == "value-1")
            #expect(present.json?["kind"] as? String == "ChallengePayload")
            let name = try DomainName("_acme-challenge.example.com")
            #expect(server.records.values(at: name) == ["value-1"])

            let cleanUp = try await send(.POST, server.url + solverURL + "/memory", as: .alice, body: challengePayload(action: "CleanUp", key: "value-1"))
            #expect(cleanUp.challengeSucceeded == true)
            #expect(server.records.values(at: name).isEmpty)
        }
    }

    @Test("a chunked body without Content-Type and a ?timeout= query are accepted, as kubectl sends them")
    func kubectlStyleRequest() async throws {
        try await withWebhookServer(.flagsOnly) { server in
            var request = HTTPClientRequest(url: server.url + solverURL + "/memory?timeout=30s")
            request.method = .POST
            request.tlsConfiguration = try ClientIdentity.alice.tlsConfiguration()
            let body = ByteBuffer(string: challengePayload(key: "chunked"))
            request.body = .stream(
                AsyncStream { continuation in
                    continuation.yield(body)
                    continuation.finish()
                }, length: .unknown)
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
            #expect(response.status.code == 201)
            #expect(server.records.values(at: try DomainName("_acme-challenge.example.com")) == ["chunked"])
        }
    }

    @Test("a provider failure is 201 with success false and the provider's message")
    func providerFailure() async throws {
        try await withWebhookServer(.flagsOnly) { server in
            let body = challengePayload(config: #"{"zones": ["other.org"]}"#)
            let answer = try await send(.POST, server.url + solverURL + "/memory", as: .alice, body: body)
            #expect(answer.status == 201)
            #expect(answer.challengeSucceeded == false)
            #expect(answer.challengeMessage?.contains("zone for _acme-challenge.example.com not found") == true)
        }
    }

    @Test("an Issuer config naming exec is answered success:false with a clear message, and the program never runs")
    func issuerCannotRunPrograms() async throws {
        let directory = try makeTemporaryDirectory("exec-refused")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let marker = "\(directory)/ran"
        let hook = "\(directory)/hook.sh"
        try "#!/bin/sh\ntouch \(marker)\n".write(toFile: hook, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: hook)
        var options = ServerOptions.flagsOnly
        options.servesExec = true
        options.defaultConfig = ["exec": ["command": .string(hook)]]
        try await withWebhookServer(options) { server in
            for (solver, config) in [("exec", #"{"command": "\#(hook)"}"#), ("dispatch", #"{"exec": {"command": "\#(hook)"}}"#)] {
                let answer = try await send(.POST, server.url + solverURL + "/" + solver, as: .alice, body: challengePayload(config: config))
                #expect(answer.status == 201)
                #expect(answer.challengeSucceeded == false)
                #expect(answer.challengeMessage?.contains("is not allowed in an Issuer's config: a program named by an Issuer would run in the webhook's pod") == true)
            }
            #expect(!FileManager.default.fileExists(atPath: marker))
            // The operator's own default config may use it: the same program runs then.
            let allowed = try await send(.POST, server.url + solverURL + "/exec", as: .alice, body: challengePayload(config: nil))
            #expect(allowed.challengeSucceeded == true, "\(allowed.challengeMessage ?? "")")
            #expect(FileManager.default.fileExists(atPath: marker))
        }
    }

    @Test("dispatch with no config and no server default fails with a message saying so")
    func dispatchWithoutConfig() async throws {
        try await withWebhookServer(.flagsOnly) { server in
            let answer = try await send(.POST, server.url + solverURL + "/dispatch", as: .alice, body: challengePayload(config: nil))
            #expect(answer.challengeSucceeded == false)
            #expect(answer.challengeMessage?.contains("--config") == true)
        }
    }

    @Test("dispatch with no Issuer config uses the server's default config")
    func dispatchDefault() async throws {
        var options = ServerOptions.flagsOnly
        options.defaultConfig = ["memory": [:]]
        try await withWebhookServer(options) { server in
            let answer = try await send(.POST, server.url + solverURL + "/dispatch", as: .alice, body: challengePayload(key: "via-default", config: nil))
            #expect(answer.challengeSucceeded == true)
            #expect(server.records.values(at: try DomainName("_acme-challenge.example.com")) == ["via-default"])
        }
    }

    @Test("a challenge over the request deadline is answered success:false with a clear message")
    func deadline() async throws {
        var options = ServerOptions.flagsOnly
        options.requestTimeout = .milliseconds(300)
        try await withWebhookServer(options) { server in
            let answer = try await send(.POST, server.url + solverURL + "/memory", as: .alice, body: challengePayload(config: #"{"latency": "30s"}"#))
            #expect(answer.status == 201)
            #expect(answer.challengeSucceeded == false)
            #expect(answer.challengeMessage?.contains("did not finish within the webhook's --request-timeout") == true)
        }
    }

    @Test("unknown solvers and groups get a 404 Status that lists what is served")
    func notFound() async throws {
        try await withWebhookServer(.flagsOnly) { server in
            let solver = try await send(.POST, server.url + solverURL + "/route66", as: .alice, body: challengePayload())
            #expect(solver.status == 404)
            #expect(solver.json?["reason"] as? String == "NotFound")
            #expect(solver.message?.contains("solver \"route66\" is not served") == true)
            #expect(solver.message?.contains("dispatch, memory") == true)
            let group = try await send(.POST, server.url + "/apis/other.example.com/v1alpha1/memory", as: .alice, body: challengePayload())
            #expect(group.status == 404)
            #expect(group.message?.contains("serves group \"acme.example.com\"") == true)
            let openapi = try await send(.GET, server.url + "/openapi/v2", as: .alice)
            #expect(openapi.status == 404)
            let wrongMethod = try await send(.GET, server.url + solverURL + "/memory", as: .alice)
            #expect(wrongMethod.status == 405)
        }
    }

    @Test("every malformed payload gets a 4xx with a message, and the server keeps serving")
    func malformedPayloads() async throws {
        try await withWebhookServer(.flagsOnly) { server in
            for (name, body) in MalformedPayloads.catalogue {
                let answer = try await send(.POST, server.url + solverURL + "/memory", as: .alice, body: body)
                #expect((400..<500).contains(answer.status), "\(name): \(answer.status)")
                #expect(answer.json?["kind"] as? String == "Status", "\(name)")
                #expect(answer.message?.isEmpty == false, "\(name)")
            }
            let valid = try await send(.POST, server.url + solverURL + "/memory", as: .alice, body: challengePayload())
            #expect(valid.challengeSucceeded == true)
            #expect(server.records.names.count == 1)
        }
    }

    @Test("a body over 1 MiB is refused with 413")
    func tooLarge() async throws {
        try await withWebhookServer(.flagsOnly) { server in
            let big = #"{"request": {"action": "Present", "padding": ""# + String(repeating: "x", count: 1 << 20) + #""}}"#
            let answer = try await send(.POST, server.url + solverURL + "/memory", as: .alice, body: big)
            #expect(answer.status == 413)
            #expect(answer.message?.contains("larger than the limit") == true)
            let after = try await send(.GET, server.url + "/healthz")
            #expect(after.status == 200)
        }
    }

    @Test("a provider that does not finish is stopped within the challenge's budget, so its own message reaches cert-manager rather than the request timeout's")
    func providerBudgetInServe() async throws {
        // The budget's timer runs on the cooperative pool, the request timeout's on an event
        // loop: other tests' work on the pool's two threads must not eat the margin.
        guard try await ownTestProcess("ChallengeAPITests/providerBudgetInServe") else { return }
        let directory = try makeTemporaryDirectory("exec-budget")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let hook = "\(directory)/hang.sh"
        try "#!/bin/sh\necho waiting for the DNS API\nexec sleep 60\n".write(toFile: hook, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: hook)
        var options = ServerOptions.flagsOnly
        options.servesExec = true
        // A margin of 1 s (a tenth of 10 s) for killing the program and answering.
        options.requestTimeout = .seconds(10)
        options.defaultConfig = ["exec": ["command": .string(hook)]]
        try await withWebhookServer(options) { server in
            let answer = try await send(.POST, server.url + solverURL + "/exec", as: .alice, body: challengePayload(config: nil))
            #expect(answer.challengeSucceeded == false)
            let message = answer.challengeMessage ?? ""
            // 10 s less its margin (1 s): the program's own timeout, with what it printed.
            #expect(message.contains("did not finish within the challenge's time budget of 9s and was killed: waiting for the DNS API"), "\(message)")
            #expect(!message.contains("--request-timeout"), "\(message)")
        }
    }

    @Test("/metrics counts challenges by provider, and every provider request by provider, operation and outcome, as docs/metrics.md lists them")
    func providerMetrics() async throws {
        var options = ServerOptions.flagsOnly
        options.servesExec = true
        options.defaultConfig = ["providers": [["exec": ["command": "/bin/true"], "selector": ["dnsZones": ["ok.example.com"]]], ["exec": ["command": "/bin/false"]]]]
        try await withWebhookServer(options) { server in
            for dnsName in ["ok.example.com", "ok.example.com", "broken.example.com"] {
                _ = try await send(.POST, server.url + solverURL + "/dispatch", as: .alice, body: challengePayload(dnsName: dnsName, config: nil))
            }
            let metrics = try await send(.GET, server.url + "/metrics", as: .alice).body
            let series = [
                #"dns01_webhook_challenges_total{solver="dispatch",action="Present",outcome="success",provider="exec"} 2"#,
                #"dns01_webhook_challenges_total{solver="dispatch",action="Present",outcome="failure",provider="exec"} 1"#,
                #"dns01_webhook_provider_requests_total{provider="exec",operation="present",outcome="success"} 2"#,
                #"dns01_webhook_provider_requests_total{provider="exec",operation="present",outcome="error"} 1"#,
                #"dns01_webhook_provider_request_duration_seconds_count{provider="exec",operation="present"} 3"#,
                #"dns01_webhook_provider_request_duration_seconds_bucket{provider="exec",operation="present",le="60.0"} 3"#,
                #"dns01_webhook_provider_call_duration_seconds_count{solver="dispatch",action="Present",outcome="success"} 2"#,
            ]
            for line in series { #expect(metrics.contains(line), "\(line) not in:\n\(metrics)") }
            // Every dns01_webhook_* metric the server defines is listed in docs/metrics.md.
            let documented = try String(contentsOfFile: repositoryRoot + "/docs/metrics.md", encoding: .utf8)
            let defined = Set(metrics.split(separator: "\n").filter { $0.hasPrefix("# TYPE dns01_webhook_") }.map { String($0.split(separator: " ")[2]) })
            #expect(defined.contains("dns01_webhook_provider_requests_total"))
            for name in defined { #expect(documented.contains("`\(name)`"), "\(name) is not in docs/metrics.md") }
        }
    }

    @Test("/version and /metrics answer authorized callers; metrics carry the certificate expiry and challenge outcomes")
    func versionAndMetrics() async throws {
        try await withWebhookServer(.flagsOnly) { server in
            let version = try await send(.GET, server.url + "/version", as: .alice)
            #expect(version.json?["gitVersion"] as? String == "v1.2.3")
            _ = try await send(.POST, server.url + solverURL + "/memory", as: .alice, body: challengePayload())
            let metrics = try await send(.GET, server.url + "/metrics", as: .alice)
            #expect(metrics.status == 200)
            #expect(metrics.body.contains(#"dns01_webhook_challenges_total{solver="memory",action="Present",outcome="success",provider="memory"} 1"#))
            let expiryLine = metrics.body.split(separator: "\n").first { $0.hasPrefix("dns01_webhook_serving_certificate_expiry_timestamp_seconds ") }
            let expiry = expiryLine.flatMap { Double($0.split(separator: " ").last ?? "") }
            // serving-a is valid for a year from (about) now.
            let days = ((expiry ?? 0) - Date().timeIntervalSince1970) / 86400
            #expect(days > 300 && days < 400)
            let forbidden = try await send(.GET, server.url + "/metrics", as: .bob)
            #expect(forbidden.status == 403)
        }
    }
}
