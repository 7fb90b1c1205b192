import DNS01
import Foundation
import Logging
import ProviderKit
import Synchronization

/// The Cloud DNS API v1 calls a DNS-01 solver needs, for one project and one token source:
/// list the managed zones, read the TXT set at a name, create a change, read a change. Every
/// call is retried on throttling (after the `Retry-After` Google sends), 5xx and transient
/// network failures, and once with a new token when the API refuses the cached one.
struct CloudDNSClient: Sendable {
    /// Read and write Cloud DNS records: what cert-manager asks for.
    static let scopes = ["https://www.googleapis.com/auth/ndev.clouddns.readwrite"]

    /// STS issues a token for the scopes the caller will use; a token that is only exchanged
    /// again for a service account's (impersonation) needs `cloud-platform`, as google-auth asks.
    static func stsScopes(impersonating: Bool) -> [String] {
        impersonating ? ["https://www.googleapis.com/auth/cloud-platform"] : scopes
    }

    /// A bound on paging, in case a server keeps answering with a next page.
    static let maximumPages = 1000

    let endpoint: BaseURL
    let project: String
    let tokens: GoogleAccessTokens
    let transport: any HTTPTransport
    let retryPolicy: RetryPolicy
    let requestTimeout: Duration
    let logger: Logger

    private var projectPath: String { "/projects/\(PercentEncoding.rfc3986(project))" }

    private func zonePath(_ zone: String) -> String { projectPath + "/managedZones/\(PercentEncoding.rfc3986(zone))" }

    /// Every managed zone of the project (all pages).
    func managedZones() async throws -> [ManagedZone] {
        var zones: [ManagedZone] = []
        var pageToken: String?
        for _ in 0..<Self.maximumPages {
            var query: [(String, String)] = []
            if let pageToken { query.append(("pageToken", pageToken)) }
            let page = try await call(ManagedZonesPage.self, "GET", projectPath + "/managedZones", query: query, operation: "list the managed zones of project \(project)")
            zones += page.managedZones ?? []
            guard let next = page.nextPageToken, !next.isEmpty else { break }
            pageToken = next
        }
        return zones.filter { !$0.zoneName.isRoot || $0.dnsName == "." }
    }

    /// The TXT set named exactly `fqdn`, or `nil`.
    func txtSet(zone: String, fqdn: DomainName) async throws -> ResourceRecordSet? {
        var pageToken: String?
        for _ in 0..<Self.maximumPages {
            var query: [(String, String)] = [("name", fqdn.fqdn), ("type", "TXT")]
            if let pageToken { query.append(("pageToken", pageToken)) }
            let page = try await call(ResourceRecordSetsPage.self, "GET", zonePath(zone) + "/rrsets", query: query, operation: "read the TXT set at \(fqdn.name)")
            // The filter is the server's; the comparison that matters is ours.
            if let set = (page.rrsets ?? []).first(where: { $0.type.uppercased() == "TXT" && (try? DomainName($0.name)) == fqdn }) { return set }
            guard let next = page.nextPageToken, !next.isEmpty else { break }
            pageToken = next
        }
        return nil
    }

    /// One atomic change: `deletions` must match the zone's sets exactly or nothing happens.
    func createChange(zone: String, deletions: [ResourceRecordSet], additions: [ResourceRecordSet], name: DomainName) async throws -> Change {
        let body = try JSONEncoder().encode(ChangeRequest(additions: additions.isEmpty ? nil : additions, deletions: deletions.isEmpty ? nil : deletions))
        return try await call(Change.self, "POST", zonePath(zone) + "/changes", body: Array(body), operation: "change the TXT set at \(name.name)")
    }

    func change(zone: String, id: String, name: DomainName) async throws -> Change {
        try await call(Change.self, "GET", zonePath(zone) + "/changes/\(PercentEncoding.rfc3986(id))", operation: "read the change of the TXT set at \(name.name)")
    }

    private func call<Result: Decodable & Sendable>(
        _: Result.Type, _ method: String, _ path: String, query: [(String, String)] = [], body: [UInt8] = [], operation: String
    ) async throws -> Result {
        let url = endpoint.url(path, query: PercentEncoding.query(query))
        let refresh = RefreshOnce()
        return try await retryPolicy.run(shouldRetry: Self.shouldRetry, serverDelay: Self.serverDelay) { attempt in
            var headers: [APIRequest.Header] = [.init("Authorization", "Bearer \(try await tokens.token().text)"), .init("Accept", "application/json")]
            if !body.isEmpty { headers.append(.init("Content-Type", "application/json")) }
            let response = try await transport.send(APIRequest(method: method, url: url, headers: headers, body: body), timeout: requestTimeout)
            guard (200..<300).contains(response.status) else {
                let error = GoogleAPIError(operation: operation, response: response)
                logger.debug(
                    "Cloud DNS API error",
                    metadata: ["method": "\(method)", "path": "\(path)", "status": "\(response.status)", "reason": "\(error.reason ?? "")", "attempt": "\(attempt)"])
                if response.status == 401, refresh.take() {
                    // The cached token was revoked or expired early: one more try with a new one.
                    tokens.invalidate()
                    throw TokenRefused(error: error)
                }
                throw error
            }
            do {
                return try JSONDecoder().decode(Result.self, from: Data(response.body))
            } catch {
                throw UnreadableAnswer(operation: operation)
            }
        }
    }

    private static func serverDelay(_ error: any Error) -> Duration? {
        (error as? GoogleAPIError)?.retryAfter
    }

    private static func shouldRetry(_ error: any Error) -> Bool {
        switch error {
        case is TokenRefused: true
        case let error as GoogleAPIError: error.isRetryable
        case let error as TransportError: error.isTransient
        default: false
        }
    }

    /// A 2xx answer that is not the JSON the API documents (an endpoint that is not Cloud DNS).
    struct UnreadableAnswer: Error {
        let operation: String
    }

    /// A 401 answered to a cached token, retried once with a fresh one.
    struct TokenRefused: Error {
        let error: GoogleAPIError
    }

    /// Whether the one retry with a fresh token is still to be had.
    private final class RefreshOnce: Sendable {
        private let used = Mutex(false)
        func take() -> Bool {
            used.withLock { used in
                defer { used = true }
                return !used
            }
        }
    }
}
