import DNS01
import Foundation
import Logging
import ProviderKit

/// The DigitalOcean API v2 calls a DNS-01 solver needs, for one token: list the domains, list
/// the TXT records at a name, create one, delete one by id. Every call is retried on
/// throttling (waiting until `ratelimit-reset`, as DigitalOcean sends no `Retry-After`), 5xx
/// and network failures.
struct DigitalOceanClient: Sendable {
    /// The most DigitalOcean lists per page.
    static let perPage = 200
    /// A bound on paging, in case a server keeps announcing a next page.
    static let maximumPages = 500

    let endpoint: BaseURL
    let token: DigitalOceanToken
    let transport: any HTTPTransport
    let retryPolicy: RetryPolicy
    let requestTimeout: Duration
    let epochSeconds: @Sendable () -> Double
    let logger: Logger

    /// Every domain of the account (all pages).
    func domains() async throws -> [DigitalOceanDomain] {
        var domains: [DigitalOceanDomain] = []
        for page in 1...Self.maximumPages {
            let answer = try await call(
                DigitalOceanDomainsPage.self, "GET", "/v2/domains",
                query: [
                    ("page", String(page)), ("per_page", String(Self.perPage)),
                ], operation: "list the domains")
            domains += answer.domains.compactMap { domain in
                guard let name = try? DomainName(domain.name), !name.isRoot else { return nil }
                return DigitalOceanDomain(apiName: domain.name, zoneName: name)
            }
            guard answer.links?.hasNextPage == true, !answer.domains.isEmpty else { break }
        }
        return domains
    }

    /// The TXT records named exactly `name` in `domain` (all pages). The `name` filter takes
    /// the fully qualified name without its dot.
    func txtRecords(domain: DigitalOceanDomain, name: DomainName) async throws -> [DigitalOceanRecord] {
        var records: [DigitalOceanRecord] = []
        for page in 1...Self.maximumPages {
            let answer = try await call(
                DigitalOceanRecordsPage.self, "GET", recordsPath(domain),
                query: [
                    ("type", "TXT"), ("name", name.name), ("page", String(page)), ("per_page", String(Self.perPage)),
                ], operation: "list the TXT records at \(name.name)")
            records += answer.domainRecords
            guard answer.links?.hasNextPage == true, !answer.domainRecords.isEmpty else { break }
        }
        let relative = name.relativeName(in: domain.zoneName)
        return records.filter { $0.type.uppercased() == "TXT" && $0.name.lowercased() == relative }
    }

    /// Creates a TXT record; its name is sent fully qualified, with the dot, as cert-manager does.
    @discardableResult
    func createTXT(domain: DigitalOceanDomain, name: DomainName, value: String, ttl: Int) async throws -> Int64? {
        let body = try JSONEncoder().encode(DigitalOceanNewRecord(name: name.fqdn, data: value, ttl: ttl))
        return try await call(
            DigitalOceanCreated.self, "POST", recordsPath(domain), body: Array(body),
            operation: "create a TXT record at \(name.name)"
        ).domainRecord?.id
    }

    /// Deletes one record; false when it was gone already.
    func deleteRecord(domain: DigitalOceanDomain, id: Int64) async throws -> Bool {
        do {
            _ = try await call(Nothing.self, "DELETE", recordsPath(domain) + "/\(id)", operation: "delete a TXT record")
            return true
        } catch let error as DigitalOceanAPIError where error.status == 404 {
            return false
        }
    }

    private func recordsPath(_ domain: DigitalOceanDomain) -> String {
        "/v2/domains/\(PercentEncoding.rfc3986(domain.apiName))/records"
    }

    private struct Nothing: Decodable, Sendable {}

    private func call<Response: Decodable & Sendable>(
        _: Response.Type, _ method: String, _ path: String, query: [(String, String)] = [], body: [UInt8] = [], operation: String
    ) async throws -> Response {
        var headers = [token.header, .init("Accept", "application/json"), .init("User-Agent", "dns01-webhook")]
        if !body.isEmpty { headers.append(.init("Content-Type", "application/json")) }
        let request = APIRequest(method: method, url: endpoint.url(path, query: PercentEncoding.query(query)), headers: headers, body: body)
        return try await retryPolicy.run(shouldRetry: Self.shouldRetry, serverDelay: Self.serverDelay) { attempt in
            let response = try await ProviderRequests.send(request, through: transport, timeout: requestTimeout, operation: ProviderRequests.restOperation(method: method, path: path))
            guard (200..<300).contains(response.status) else {
                let error = DigitalOceanAPIError(operation: operation, response: response, nowEpochSeconds: epochSeconds())
                logger.debug(
                    "DigitalOcean API error",
                    metadata: [
                        "method": "\(method)", "path": "\(path)", "status": "\(response.status)", "id": "\(error.id)", "attempt": "\(attempt)",
                    ])
                throw error
            }
            if Response.self == Nothing.self { return Nothing() as! Response }
            do {
                return try JSONDecoder().decode(Response.self, from: Data(response.body))
            } catch {
                throw DigitalOceanUnreadableResponse(operation: operation)
            }
        }
    }

    /// How long the server asked us to wait, when it said.
    static func serverDelay(_ error: any Error) -> Duration? { (error as? DigitalOceanAPIError)?.retryAfter }

    private static let shouldRetry: @Sendable (any Error) -> Bool = { error in
        switch error {
        case let error as DigitalOceanAPIError: error.isRetryable
        case let error as TransportError: error.isTransient
        default: false
        }
    }
}
