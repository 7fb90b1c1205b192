import DNS01
import Foundation
import Logging
import ProviderKit

/// The PowerDNS API calls a DNS-01 solver needs, for one server and API key.
struct PDNSClient: Sendable {
    /// `<host>/api/v1/servers/<serverID>`.
    let serverURL: String
    /// For messages: the configured `host`.
    let host: String
    /// Every request's headers: the API key's header, then the configured ones.
    let headers: [APIRequest.Header]
    let retryPolicy: RetryPolicy
    let timeout: Duration
    let logger: Logger

    /// One record of an rrset as the API returns it.
    struct Record: Codable, Sendable, Hashable {
        var content: String
        var disabled: Bool
    }

    /// The TXT rrset at a name: its records and TTL (`nil` when there is none).
    struct TXTSet: Sendable, Hashable {
        var records: [Record]
        var ttl: Int?
    }

    /// The server's version, from `GET /servers/<id>`.
    func version(_ transport: any HTTPTransport) async throws -> String {
        struct Server: Decodable { var version: String? }
        let response = try await send(transport, "GET", "", operation: "read the server's version")
        return try decode(Server.self, response, operation: "read the server's version").version ?? ""
    }

    /// Every zone of the server.
    func zones(_ transport: any HTTPTransport) async throws -> [PDNSZone] {
        struct Zone: Decodable {
            var id: String
            var name: String
        }
        let response = try await send(transport, "GET", "/zones", operation: "list zones")
        return try decode([Zone].self, response, operation: "list zones").compactMap { zone in
            guard let name = try? DomainName(zone.name), !name.isRoot else { return nil }
            return PDNSZone(id: zone.id, zoneName: name)
        }
    }

    /// The TXT rrset at `fqdn` in `zone`.
    ///
    /// `rrset_name`/`rrset_type` make 4.7 and later return only that rrset, but without its
    /// disabled records (seen on 4.7.3): enough for reading values back, not for rewriting the
    /// rrset, which must keep them. `includingDisabled` reads the whole zone instead. Older
    /// servers ignore the filter and return the whole zone anyway, so the result is always
    /// filtered here.
    func txtSet(_ transport: any HTTPTransport, zone: PDNSZone, fqdn: DomainName, includingDisabled: Bool = false) async throws -> TXTSet {
        struct ZoneBody: Decodable {
            struct RRSet: Decodable {
                var name: String
                var type: String
                var ttl: Int?
                var records: [Record]
            }
            var rrsets: [RRSet]
        }
        let query = includingDisabled ? [] : [("rrset_name", fqdn.fqdn), ("rrset_type", "TXT")]
        let response = try await send(transport, "GET", zonePath(zone), query: query, operation: "read the TXT rrset")
        let body = try decode(ZoneBody.self, response, operation: "read the TXT rrset")
        let sets = body.rrsets.filter { $0.type.uppercased() == "TXT" && (try? DomainName($0.name)) == fqdn }
        return TXTSet(records: sets.flatMap(\.records), ttl: sets.first?.ttl)
    }

    /// One rrset change of a `PATCH`.
    struct Change: Encodable, Sendable {
        var name: String
        var type = "TXT"
        var ttl: Int?
        var changetype: String
        var records: [Record]?
    }

    /// Applies `change` to the zone (`PATCH`, 204).
    func patch(_ transport: any HTTPTransport, zone: PDNSZone, _ change: Change) async throws {
        struct Body: Encodable { var rrsets: [Change] }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let body = Array(try encoder.encode(Body(rrsets: [change])))
        _ = try await send(transport, "PATCH", zonePath(zone), body: body, operation: "\(change.changetype) the TXT rrset")
    }

    private func zonePath(_ zone: PDNSZone) -> String {
        "/zones/" + PercentEncoding.rfc3986(zone.id)
    }

    private func decode<T: Decodable>(_ type: T.Type, _ response: APIResponse, operation: String) throws -> T {
        do {
            return try JSONDecoder().decode(type, from: Data(response.body))
        } catch {
            throw PDNSResponseDecodingError(operation: operation)
        }
    }

    /// One call, retried on throttling, 502/503/504 and transient network failures.
    private func send(_ transport: any HTTPTransport, _ method: String, _ path: String, query: [(String, String)] = [], body: [UInt8] = [], operation: String) async throws -> APIResponse {
        var url = serverURL + path
        if !query.isEmpty { url += "?" + PercentEncoding.query(query) }
        var all: [APIRequest.Header] = [.init("Accept", "application/json"), .init("User-Agent", "dns01-webhook")]
        if !body.isEmpty { all.append(.init("Content-Type", "application/json")) }
        // The configured headers override the defaults, as in the webhook this config comes from.
        for header in headers {
            all.removeAll { $0.name.lowercased() == header.name.lowercased() }
            all.append(header)
        }
        let request = APIRequest(method: method, url: url, headers: all, body: body)
        return try await retryPolicy.run(shouldRetry: Self.shouldRetry) { attempt in
            let response = try await ProviderRequests.send(request, through: transport, timeout: timeout, operation: ProviderRequests.restOperation(method: method, path: path))
            guard (200..<300).contains(response.status) else {
                let error = PDNSAPIError(operation: operation, response: response)
                logger.debug("PowerDNS API error", metadata: ["operation": "\(operation)", "status": "\(response.status)", "attempt": "\(attempt)"])
                throw error
            }
            return response
        }
    }

    private static let shouldRetry: @Sendable (any Error) -> Bool = { error in
        switch error {
        case let error as PDNSAPIError: error.isTransient
        case let error as TransportError: error.isTransient
        default: false
        }
    }
}
