import DNS01
import Foundation
import Logging
import ProviderKit

/// The LiveDNS calls a DNS-01 solver needs, for one credential: the account's domains, and
/// read, create, replace and delete of one TXT rrset.
struct GandiClient: Sendable {
    static let domainsPageSize = 100
    /// A bound on paging, in case a server keeps returning full pages.
    static let maximumPages = 100

    let endpoint: String
    let credential: GandiCredential
    let transport: any HTTPTransport
    let retryPolicy: RetryPolicy
    let timeout: Duration
    let logger: Logger

    /// Every domain whose zone LiveDNS serves for the account (all pages).
    func domains() async throws -> [GandiDomain] {
        struct Item: Decodable { var fqdn: String }
        var names: Set<DomainName> = []
        var domains: [GandiDomain] = []
        for page in 1...Self.maximumPages {
            let response = try await send("GET", "/domains", query: [("page", String(page)), ("per_page", String(Self.domainsPageSize))], operation: "list domains")
            let items = try decode([Item].self, response, operation: "list domains")
            var added = 0
            for item in items {
                guard let name = try? DomainName(item.fqdn), !name.isRoot, names.insert(name).inserted else { continue }
                domains.append(GandiDomain(zoneName: name))
                added += 1
            }
            // A short page is the last; a page of names already seen means the server ignores paging.
            if items.count < Self.domainsPageSize || added == 0 { break }
        }
        return domains
    }

    /// The TXT values at `name` (relative, `@` for the apex) as LiveDNS returns them (quoted),
    /// or `[]` when there is no TXT rrset there.
    func txtValues(domain: String, name: String) async throws -> [String] {
        struct RRSet: Decodable {
            var values: [String]
            enum CodingKeys: String, CodingKey { case values = "rrset_values" }
        }
        do {
            let response = try await send("GET", rrsetPath(domain, name), operation: "read the TXT rrset")
            return try decode(RRSet.self, response, operation: "read the TXT rrset").values
        } catch let error as GandiAPIError where error.status == 404 {
            // LiveDNS answers 404 both for a missing rrset and a domain it does not serve;
            // the domain came from the account's list, so this is a missing rrset.
            return []
        }
    }

    /// Creates the TXT rrset; fails with 409 when it exists (LiveDNS's only precondition).
    func createTXT(domain: String, name: String, values: [String], ttl: Int) async throws {
        _ = try await send("POST", rrsetPath(domain, name), body: try body(values: values, ttl: ttl), operation: "create the TXT rrset")
    }

    /// Replaces the TXT rrset's whole value list (creating it if missing), unconditionally.
    func replaceTXT(domain: String, name: String, values: [String], ttl: Int) async throws {
        _ = try await send("PUT", rrsetPath(domain, name), body: try body(values: values, ttl: ttl), operation: "replace the TXT rrset")
    }

    /// Deletes the TXT rrset; one already gone is not an error.
    func deleteTXT(domain: String, name: String) async throws {
        do {
            _ = try await send("DELETE", rrsetPath(domain, name), operation: "delete the TXT rrset")
        } catch let error as GandiAPIError where error.status == 404 {
            return
        }
    }

    private func rrsetPath(_ domain: String, _ name: String) -> String {
        "/domains/\(PercentEncoding.rfc3986(domain))/records/\(PercentEncoding.rfc3986(name))/TXT"
    }

    private func body(values: [String], ttl: Int) throws -> [UInt8] {
        struct Body: Encodable {
            var ttl: Int
            var values: [String]
            enum CodingKeys: String, CodingKey {
                case ttl = "rrset_ttl"
                case values = "rrset_values"
            }
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(Body(ttl: ttl, values: values)))
    }

    private func decode<T: Decodable>(_ type: T.Type, _ response: APIResponse, operation: String) throws -> T {
        do {
            return try JSONDecoder().decode(type, from: Data(response.body))
        } catch {
            throw GandiResponseDecodingError(operation: operation)
        }
    }

    /// One call, retried on throttling, 5xx and transient network failures.
    private func send(_ method: String, _ path: String, query: [(String, String)] = [], body: [UInt8] = [], operation: String) async throws -> APIResponse {
        var url = endpoint + path
        if !query.isEmpty { url += "?" + PercentEncoding.query(query) }
        var headers: [APIRequest.Header] = [
            .init("Authorization", credential.authorization),
            .init("Accept", "application/json"),
            .init("User-Agent", "dns01-webhook"),
        ]
        if !body.isEmpty { headers.append(.init("Content-Type", "application/json")) }
        let request = APIRequest(method: method, url: url, headers: headers, body: body)
        return try await retryPolicy.run(shouldRetry: Self.shouldRetry) { attempt in
            let response = try await ProviderRequests.send(request, through: transport, timeout: timeout, operation: ProviderRequests.restOperation(method: method, path: path))
            guard (200..<300).contains(response.status) else {
                let error = GandiAPIError(operation: operation, response: response)
                logger.debug("Gandi LiveDNS API error", metadata: ["operation": "\(operation)", "status": "\(response.status)", "attempt": "\(attempt)"])
                throw error
            }
            return response
        }
    }

    private static let shouldRetry: @Sendable (any Error) -> Bool = { error in
        switch error {
        case let error as GandiAPIError: error.isTransient
        case let error as TransportError: error.isTransient
        default: false
        }
    }
}
