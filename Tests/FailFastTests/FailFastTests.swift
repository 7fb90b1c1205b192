import DNS01
import FailureScenarios
import ProviderKit
import Testing

/// What a user gets when a provider endpoint is wrong (issue 18, point 1): a refused
/// connection, an unknown host, a failed TLS handshake and a 401 fail on the first request,
/// with a message that names the endpoint; a server that never answers is retried only until
/// the challenge's budget ends, and the message still names it. Figures: `dns01-bench failures`.
@Suite("provider endpoint failures end at once, in plain words", .serialized)
struct FailFastTests {
    /// Far longer than any of these failures may take, so a retry would show as a second request.
    static let budget: Duration = .seconds(20)

    static let permanent = EndpointFailure.allCases.filter(\.isPermanent)

    @Test("refused, unknown host, TLS mismatch and 401: one request, no retry, and the message names the endpoint", arguments: FailureSubject.all.map(\.name))
    func permanentFailures(provider: String) async throws {
        let subject = try #require(FailureSubject.all.first { $0.name == provider })
        let endpoints = try await FailingEndpoints.start()
        for failure in Self.permanent {
            let baseURL = endpoints.baseURL(failure)
            let outcome = try await subject.present(against: baseURL, budget: Self.budget)
            let message = try #require(outcome.message, "\(provider), \(failure.rawValue): Present succeeded")
            #expect(outcome.requests == 1, "\(provider), \(failure.rawValue): \(outcome.requests) requests: \(message)")
            let authority = APIRequest.hostOf(baseURL)
            let host = authority.split(separator: ":").first.map(String.init) ?? authority
            // The endpoint: host and port where the message shows the port, the host at least.
            #expect(message.contains(authority) || (failure == .unknownHost && message.contains(host)) || message.contains(subject.endpointWords), "\(provider), \(failure.rawValue): \(message)")
            if failure != .unauthorized {
                #expect(message.contains("check"), "\(provider), \(failure.rawValue) says what to check: \(message)")
            }
        }
        try await endpoints.stop()
    }

    @Test("a server that accepts and never answers: the request ends with the budget, and the message names it", arguments: ["route53", "alidns", "http", "cloudflare"])
    func blackHole(provider: String) async throws {
        let subject = try #require(FailureSubject.all.first { $0.name == provider })
        let endpoints = try await FailingEndpoints.start()
        let baseURL = endpoints.baseURL(.blackHole)
        let outcome = try await subject.present(against: baseURL, budget: .milliseconds(700))
        let message = try #require(outcome.message)
        #expect(message.contains(APIRequest.hostOf(baseURL)), "\(message)")
        #expect(message.contains("no answer in time"), "\(message)")
        try await endpoints.stop()
    }
}

extension FailureSubject {
    /// How a provider's 401 message names the endpoint when it names the service rather than
    /// the URL (its credentials are what to check there).
    var endpointWords: String {
        switch name {
        case "route53": "Route 53"
        case "alidns": "AliDNS"
        case "cloudflare": "Cloudflare"
        case "digitalocean": "DigitalOcean"
        case "hetzner": "Hetzner Cloud"
        case "gandi": "Gandi"
        case "dnspod": "DNSPod"
        case "huaweicloud": "Huawei Cloud"
        case "ovh": "OVH"
        case "akamai": "Akamai"
        default: "\u{0}"
        }
    }
}
