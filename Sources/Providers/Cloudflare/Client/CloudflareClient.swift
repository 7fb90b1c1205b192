import DNS01
import Foundation
import Logging
import ProviderKit

/// The Cloudflare API v4 calls a DNS-01 solver needs, for one set of credentials: list the
/// zones, list the TXT records at a name, create one, delete one by id. Every call is retried
/// on throttling (after the `Retry-After` Cloudflare sends), 5xx and network failures.
struct CloudflareClient: Sendable {
    /// The most zones Cloudflare lists per page.
    static let zonesPerPage = 50
    static let recordsPerPage = 100
    /// A bound on paging, in case a server keeps reporting more pages than it has.
    static let maximumPages = 1000

    let endpoint: BaseURL
    let credentials: CloudflareCredentials
    let transport: any HTTPTransport
    let retryPolicy: RetryPolicy
    let requestTimeout: Duration
    let logger: Logger

    /// Every zone the credentials can see (all pages).
    func zones() async throws -> [CloudflareZone] {
        let items = try await collectPages(operation: "list the zones") { page in
            try await call(
                [CloudflareZoneItem].self, "GET", "/zones",
                query: [
                    ("page", String(page)), ("per_page", String(Self.zonesPerPage)),
                ], operation: "list the zones")
        }
        return items.compactMap { item in
            guard let name = try? DomainName(item.name), !name.isRoot else { return nil }
            return CloudflareZone(id: item.id, zoneName: name, status: item.status)
        }
    }

    /// The TXT records named exactly `name` (all pages).
    func txtRecords(zoneID: String, name: DomainName) async throws -> [CloudflareRecord] {
        let path = "/zones/\(PercentEncoding.rfc3986(zoneID))/dns_records"
        let records = try await collectPages(operation: "list the TXT records at \(name.name)") { page in
            try await call(
                [CloudflareRecord].self, "GET", path,
                query: [
                    ("type", "TXT"), ("name", name.name), ("page", String(page)), ("per_page", String(Self.recordsPerPage)),
                ], operation: "list the TXT records at \(name.name)")
        }
        // The filter is the server's; the comparison that matters is ours.
        return records.filter { $0.type.uppercased() == "TXT" && (try? DomainName($0.name)) == name }
    }

    enum CreateOutcome: Sendable, Equatable {
        case created(id: String)
        /// 81057/81058: an identical record exists (a concurrent or earlier present made it).
        case alreadyExists
    }

    func createTXT(zoneID: String, name: DomainName, value: String, ttl: Int) async throws -> CreateOutcome {
        let body = try JSONEncoder().encode(CloudflareNewRecord(name: name.name, content: value, ttl: ttl))
        do {
            let envelope = try await call(
                CloudflareRecord.self, "POST", "/zones/\(PercentEncoding.rfc3986(zoneID))/dns_records",
                body: Array(body), operation: "create a TXT record at \(name.name)")
            return .created(id: envelope.result?.id ?? "")
        } catch let error as CloudflareAPIError where error.meansRecordExists {
            return .alreadyExists
        }
    }

    /// Deletes one record; false when it was gone already (81044).
    func deleteRecord(zoneID: String, id: String) async throws -> Bool {
        do {
            _ = try await call(
                CloudflareDeleted.self, "DELETE",
                "/zones/\(PercentEncoding.rfc3986(zoneID))/dns_records/\(PercentEncoding.rfc3986(id))",
                operation: "delete a TXT record")
            return true
        } catch let error as CloudflareAPIError where error.meansRecordMissing {
            return false
        }
    }

    /// Pages 1, 2, … until `result_info.total_pages` is reached (or a page is empty, or there
    /// is no `result_info`). The Python SDK reads one more, empty, page to find the end; that
    /// call would count against the account's rate limit for nothing.
    private func collectPages<Item: Decodable & Sendable>(
        operation: String,
        _ fetch: (_ page: Int) async throws -> CloudflareEnvelope<[Item]>
    ) async throws -> [Item] {
        var items: [Item] = []
        for page in 1...Self.maximumPages {
            let envelope = try await fetch(page)
            let batch = envelope.result ?? []
            items += batch
            guard let totalPages = envelope.resultInfo?.totalPages, page < totalPages, !batch.isEmpty else { break }
        }
        return items
    }

    private func call<Result: Decodable & Sendable>(
        _: Result.Type, _ method: String, _ path: String, query: [(String, String)] = [], body: [UInt8] = [], operation: String
    ) async throws -> CloudflareEnvelope<Result> {
        var headers = credentials.headers
        headers.append(.init("Accept", "application/json"))
        headers.append(.init("User-Agent", "dns01-webhook"))
        if !body.isEmpty { headers.append(.init("Content-Type", "application/json")) }
        let request = APIRequest(method: method, url: endpoint.url(path, query: PercentEncoding.query(query)), headers: headers, body: body)
        return try await retryPolicy.run(shouldRetry: Self.shouldRetry, serverDelay: Self.serverDelay) { attempt in
            let response = try await ProviderRequests.send(request, through: transport, timeout: requestTimeout, operation: ProviderRequests.restOperation(method: method, path: path))
            guard (200..<300).contains(response.status) else {
                let error = CloudflareAPIError(operation: operation, response: response)
                logger.debug(
                    "Cloudflare API error",
                    metadata: [
                        "method": "\(method)", "path": "\(path)", "status": "\(response.status)",
                        "codes": "\(error.codes.map(String.init).joined(separator: ","))", "attempt": "\(attempt)",
                    ])
                throw error
            }
            let envelope: CloudflareEnvelope<Result>
            do {
                envelope = try JSONDecoder().decode(CloudflareEnvelope<Result>.self, from: Data(response.body))
            } catch {
                throw CloudflareUnreadableResponse(operation: operation)
            }
            // cert-manager trusts `success`, whatever the status.
            if envelope.success == false {
                throw CloudflareAPIError(operation: operation, status: response.status, errors: envelope.errors ?? [])
            }
            return envelope
        }
    }

    /// How long the server asked us to wait, when it said.
    static func serverDelay(_ error: any Error) -> Duration? { (error as? CloudflareAPIError)?.retryAfter }

    private static let shouldRetry: @Sendable (any Error) -> Bool = { error in
        switch error {
        case let error as CloudflareAPIError: error.isRetryable
        case let error as TransportError: error.isTransient
        default: false
        }
    }
}

/// A 2xx answer whose body is not the envelope this provider expects.
struct CloudflareUnreadableResponse: Error, CustomStringConvertible {
    let operation: String
    var description: String { "\(operation): the answer is not Cloudflare's JSON envelope" }
}
