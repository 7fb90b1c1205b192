import AsyncHTTPClient
import DNS01
import DNSClient
import NIOSSL
import ProviderKit

/// POSTs each step to the operator's web hook, as lego's `httpreq` provider does:
///
///     POST <endpoint>/present   {"action":"present","fqdn":"_acme-challenge.www.example.com.","value":"Zq3…",
///                                "domain":"www.example.com","zone":"example.com.","namespace":"…","uid":"…"}
///     POST <endpoint>/cleanup   (the same fields)
///
/// Any 2xx is success. 429, 5xx and connection failures are retried with backoff, within a
/// bound; other answers fail at once with the status and the start of the body (secrets
/// replaced by `<redacted>`). Redirects are never followed: the endpoint the operator allowed
/// is the only one a request may reach.
struct HTTPDNSProvider: DNSProvider {
    let configuration: HTTPConfiguration
    /// Authorization and the like; values print as `<redacted>`.
    let headers: [(String, SecretValue)]
    /// `nil`: the system's roots.
    let trustRoots: [NIOSSLCertificate]?
    let readBack: DNSExchange?
    var retry = RetryPolicy(maximumAttempts: 4, baseDelay: .milliseconds(250), maximumDelay: .seconds(4), deadline: .seconds(30))

    func present(_ challenge: Challenge) async throws { try await post(challenge, to: "present") }

    func cleanUp(_ challenge: Challenge) async throws { try await post(challenge, to: "cleanup") }

    /// lego's convention has no read endpoint, so read-back (for `check`) asks the DNS server
    /// named in `http.nameserver`.
    func txtValues(at fqdn: DomainName, zone: DomainName?) async throws -> [String] {
        guard let readBack else {
            throw DNS01Error(.providerRejected, "the http provider cannot read records back by itself: set http.nameserver to the DNS server your endpoint updates")
        }
        return try await readBack.txtLookup(fqdn.fqdn).values
    }

    private func post(_ challenge: Challenge, to action: String) async throws {
        let url = "\(configuration.endpoint)/\(action)"
        var request = APIRequest(method: "POST", url: url, headers: [.init("Content-Type", "application/json"), .init("Accept", "application/json")])
        for (name, value) in headers { request.headers.append(.init(name, String(decoding: value.bytes, as: UTF8.self))) }
        request.body = Array(challenge.outOfProcessJSON.utf8)
        let finished = request

        let response: APIResponse
        do {
            response = try await HTTPClient.withHTTPClient(configuration: clientConfiguration()) { client in
                let transport = AsyncHTTPClientTransport(client: client, maximumResponseBytes: 64 << 10)
                return try await retry.run(shouldRetry: { ($0 as? TransportError)?.isTransient == true || $0 is RetryableStatus }) { _ in
                    let response = try await ProviderRequests.send(finished, through: transport, timeout: configuration.timeout, operation: "POST /\(action)")
                    if response.status == 429 || response.status >= 500 { throw RetryableStatus(response: response) }
                    return response
                }
            }
        } catch let error as RetryableStatus {
            throw DNS01Error(.providerUnavailable, "http: POST \(url) answered \(error.response.status)\(summary(of: error.response))")
        } catch let error as TransportError {
            throw DNS01Error(.providerUnavailable, "http: POST \(url) failed: \(error.underlying.redacting(headers.map(\.1)))")
        }
        guard (200..<300).contains(response.status) else {
            let redirect = (300..<400).contains(response.status) ? " (redirects are not followed)" : ""
            throw DNS01Error(.providerRejected, "http: POST \(url) answered \(response.status)\(redirect)\(summary(of: response))")
        }
    }

    private func clientConfiguration() -> HTTPClient.Configuration {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.minimumTLSVersion = .tlsv12
        if let trustRoots { tls.trustRoots = .certificates(trustRoots) }
        var configuration = HTTPClient.Configuration(tlsConfiguration: tls, redirectConfiguration: .disallow)
        // A refused connection or an unknown host fails the request at once (the retry
        // policy decides), as with ProviderKit's shared client.
        configuration.connectionPool.retryConnectionEstablishment = false
        return configuration
    }

    /// `: <first 300 characters of the body, one line>`, secrets redacted; empty for no body.
    private func summary(of response: APIResponse) -> String {
        let secrets =
            headers.map(\.1)
            + headers.compactMap { header in
                // The token alone, without its "Bearer " scheme, in case the server echoes just that.
                header.1.text.split(separator: " ", maxSplits: 1).last.map { SecretValue(String($0)) }
            }
        let text = response.bodyText.redacting(secrets).split(whereSeparator: \.isNewline).map { $0.trimmingWhitespace() }.joined(separator: " ").trimmingWhitespace()
        guard !text.isEmpty else { return "" }
        return ": " + (text.count > 300 ? String(text.prefix(299)) + "…" : text)
    }
}

/// A 429 or 5xx answer, worth another try.
struct RetryableStatus: Error {
    let response: APIResponse
}
