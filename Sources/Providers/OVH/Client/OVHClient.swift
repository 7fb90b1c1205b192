import DNS01
import Foundation
import Logging
import ProviderKit

/// The OVH API calls a DNS-01 solver needs, for one set of credentials: the account's zones,
/// TXT records by name, create, read and delete by id, and the zone `refresh` that publishes
/// a change.
struct OVHClient: Sendable {
    let endpoint: OVHEndpoint
    let authenticator: OVHAuthenticator
    let transport: any HTTPTransport
    let retryPolicy: RetryPolicy
    let environment: OVHEnvironment
    /// The server's clock minus ours, per API URL, learned from `/auth/time`.
    let clockOffsets: ExpiringCache<String, Int64>
    let logger: Logger

    /// How long a clock offset is trusted.
    static let clockOffsetLifetime: Duration = .seconds(3600)

    func zones() async throws -> [OVHZone] {
        let names = try await call("GET", "/domain/zone", operation: "list zones", as: [String].self)
        return names.compactMap { name in
            guard let zoneName = try? DomainName(name), !zoneName.isRoot else { return nil }
            return OVHZone(apiName: name, zoneName: zoneName)
        }
    }

    /// The zone named `name`, or `nil` when the account has no such zone (404).
    func zone(named name: DomainName) async throws -> OVHZone? {
        struct Zone: Decodable { var name: String }
        do {
            let found = try await call("GET", "/domain/zone/" + PercentEncoding.rfc3986(name.name), operation: "read a zone", as: Zone.self)
            return OVHZone(apiName: found.name, zoneName: (try? DomainName(found.name)) ?? name)
        } catch let error as OVHAPIError where error.status == 404 {
            return nil
        }
    }

    /// The ids of the TXT records at `subDomain` (`""` for the apex).
    func txtRecordIDs(zone: OVHZone, subDomain: String) async throws -> [Int64] {
        try await call("GET", zonePath(zone) + "/record", query: [("fieldType", "TXT"), ("subDomain", subDomain)], operation: "list TXT records", as: [Int64].self)
    }

    /// One record, or `nil` when it is gone (deleted since it was listed).
    func record(zone: OVHZone, id: Int64) async throws -> OVHRecord? {
        do {
            return try await call("GET", zonePath(zone) + "/record/\(id)", operation: "read a record", as: OVHRecord.self)
        } catch let error as OVHAPIError where error.status == 404 {
            return nil
        }
    }

    /// The TXT records at `subDomain`, read concurrently.
    func txtRecords(zone: OVHZone, subDomain: String) async throws -> [OVHRecord] {
        let ids = try await txtRecordIDs(zone: zone, subDomain: subDomain)
        return try await withThrowingTaskGroup(of: OVHRecord?.self) { group in
            for id in ids { group.addTask { try await record(zone: zone, id: id) } }
            var records: [OVHRecord] = []
            for try await record in group { if let record { records.append(record) } }
            return records.sorted { $0.id < $1.id }
        }
    }

    func createTXTRecord(zone: OVHZone, subDomain: String, target: String, ttl: Int) async throws -> OVHRecord {
        struct Body: Encodable {
            var fieldType = "TXT"
            var subDomain: String
            var target: String
            var ttl: Int
        }
        let body = try Self.encoder.encode(Body(subDomain: subDomain, target: target, ttl: ttl))
        return try await call("POST", zonePath(zone) + "/record", body: Array(body), operation: "create a TXT record", as: OVHRecord.self)
    }

    /// Deletes a record by id; one already gone is not an error.
    func deleteRecord(zone: OVHZone, id: Int64) async throws {
        do {
            _ = try await send("DELETE", zonePath(zone) + "/record/\(id)", operation: "delete a TXT record")
        } catch let error as OVHAPIError where error.status == 404 {
            return
        }
    }

    /// Publishes the zone's changes to its name servers.
    func refresh(zone: OVHZone) async throws {
        _ = try await send("POST", zonePath(zone) + "/refresh", operation: "refresh the zone")
    }

    private func zonePath(_ zone: OVHZone) -> String {
        "/domain/zone/" + PercentEncoding.rfc3986(zone.apiName)
    }

    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    private func call<Response: Decodable & Sendable>(_ method: String, _ path: String, query: [(String, String)] = [], body: [UInt8] = [], operation: String, as _: Response.Type) async throws -> Response {
        let response = try await send(method, path, query: query, body: body, operation: operation)
        do {
            return try JSONDecoder().decode(Response.self, from: Data(response.body))
        } catch {
            throw OVHResponseDecodingError(operation: operation)
        }
    }

    /// One call: authenticated afresh on every attempt (new timestamp and signature, or the
    /// current token), retried on throttling, 5xx and transient network failures, and at once
    /// after a stale clock offset or an expired token was replaced.
    private func send(_ method: String, _ path: String, query: [(String, String)] = [], body: [UInt8] = [], operation: String) async throws -> APIResponse {
        let url = endpoint.url + path + (query.isEmpty ? "" : "?" + PercentEncoding.query(query))
        return try await retryPolicy.run(shouldRetry: Self.shouldRetry) { attempt in
            var headers: [APIRequest.Header] = [.init("Accept", "application/json"), .init("User-Agent", "dns01-webhook")]
            if !body.isEmpty { headers.append(.init("Content-Type", "application/json")) }
            switch authenticator {
            case .application(let applicationKey, let signer, _):
                let timestamp = environment.epochSeconds() + (try await clockOffset())
                headers += signer.headers(applicationKey: applicationKey, method: method, url: url, body: body, timestamp: timestamp)
            case .oauth2(let source):
                headers.append(.init("Authorization", "Bearer " + (try await source.token()).text))
            }
            let response = try await ProviderRequests.send(
                APIRequest(method: method, url: url, headers: headers, body: body), through: transport, timeout: environment.requestTimeout, operation: ProviderRequests.restOperation(method: method, path: path))
            guard (200..<300).contains(response.status) else {
                let error = OVHAPIError(operation: operation, response: response)
                logger.debug(
                    "OVH API error",
                    metadata: [
                        "operation": "\(operation)", "status": "\(response.status)", "code": "\(error.code)", "attempt": "\(attempt)",
                        "queryId": "\(response.headers.first { $0.name.lowercased() == "x-ovh-queryid" }?.value ?? "-")",
                    ])
                if error.isClockSkew, attempt == 1 {
                    clockOffsets.invalidate(endpoint.url)
                    throw OVHRetryAfterRefresh(underlying: error)
                }
                if error.isExpiredToken, attempt == 1, case .oauth2(let source) = authenticator {
                    source.invalidate()
                    throw OVHRetryAfterRefresh(underlying: error)
                }
                throw error
            }
            return response
        }
    }

    /// The server's clock minus ours (`GET /auth/time`, unauthenticated), learned once per API
    /// URL: the signature's timestamp must be within the server's window.
    private func clockOffset() async throws -> Int64 {
        let url = endpoint.url + "/auth/time"
        let (transport, environment) = (self.transport, self.environment)
        return try await clockOffsets.value(for: endpoint.url) {
            let response = try await ProviderRequests.send(
                APIRequest(method: "GET", url: url, headers: [.init("Accept", "application/json")]), through: transport, timeout: environment.requestTimeout, operation: "GET /auth/time")
            guard response.status == 200, let server = Int64(response.bodyText.trimmingWhitespace()) else {
                throw OVHAPIError(operation: "read the server time", response: response)
            }
            return (server - environment.epochSeconds(), validFor: Self.clockOffsetLifetime)
        }
    }

    private static let shouldRetry: @Sendable (any Error) -> Bool = { error in
        switch error {
        case let error as OVHAPIError: error.isTransient
        case is OVHRetryAfterRefresh: true
        case let error as OVHTokenError: error.status == 429 || error.status >= 500
        case let error as TransportError: error.isTransient
        default: false
        }
    }
}

/// What OVH calls take from the world: the wall clock and the per-request timeout.
public struct OVHEnvironment: Sendable {
    public var epochSeconds: @Sendable () -> Int64
    public var requestTimeout: Duration

    public init(epochSeconds: @escaping @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970) }, requestTimeout: Duration = .seconds(30)) {
        self.epochSeconds = epochSeconds
        self.requestTimeout = requestTimeout
    }
}
