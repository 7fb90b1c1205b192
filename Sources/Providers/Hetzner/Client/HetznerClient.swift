import DNS01
import Foundation
import Logging
import ProviderKit

/// The Hetzner Cloud API calls a DNS-01 solver needs, for one API token: zones, one rrset, the
/// server-side `add_records` / `remove_records` actions, and waiting for an action to finish.
struct HetznerClient: Sendable {
    /// The most zones a page holds.
    static let zonesPageSize = 50
    /// A bound on paging, in case a server keeps announcing another page.
    static let maximumPages = 200

    let endpoint: String
    let token: SecretValue
    let transport: any HTTPTransport
    let retryPolicy: RetryPolicy
    let polling: HetznerActionPolling
    let timeout: Duration
    let logger: Logger

    /// Every zone of the project (all pages).
    func zones() async throws -> [HetznerZone] {
        var zones: [HetznerZone] = []
        var page = 1
        for _ in 0..<Self.maximumPages {
            let response = try await call("GET", "/zones", query: [("page", String(page)), ("per_page", String(Self.zonesPageSize))], operation: "list zones", as: HetznerZonesResponse.self)
            zones += response.zones.compactMap { zone in
                guard let name = try? DomainName(zone.name), !name.isRoot else { return nil }
                return HetznerZone(id: zone.id, zoneName: name)
            }
            guard let next = response.meta?.pagination?.nextPage, next > page, !response.zones.isEmpty else { break }
            page = next
        }
        return zones
    }

    /// The TXT values at `name` (relative, `@` for the apex) as the API stores them (quoted),
    /// or `nil` when there is no TXT rrset there.
    func txtRecords(zone: String, name: String) async throws -> [String]? {
        do {
            let response = try await call("GET", rrsetPath(zone: zone, name: name), operation: "read the TXT rrset", as: HetznerRRSetResponse.self)
            return response.rrset.records.map(\.value)
        } catch let error as HetznerAPIError where error.status == 404 && error.code == "not_found" {
            return nil
        }
    }

    /// Adds `values` (quoted) to the TXT rrset at `name`, creating it with `ttl` if missing.
    func addRecords(zone: String, name: String, values: [String], ttl: Int) async throws -> HetznerAction {
        let body = try JSONEncoder.hetzner.encode(RecordsBody(records: values.map { .init(value: $0) }, ttl: ttl))
        return try await call("POST", rrsetPath(zone: zone, name: name) + "/actions/add_records", body: Array(body), operation: "add_records", as: HetznerActionResponse.self).action
    }

    /// Removes `values` (quoted) from the TXT rrset at `name`; the API deletes the rrset when
    /// it becomes empty.
    func removeRecords(zone: String, name: String, values: [String]) async throws -> HetznerAction {
        let body = try JSONEncoder.hetzner.encode(RecordsBody(records: values.map { .init(value: $0) }, ttl: nil))
        return try await call("POST", rrsetPath(zone: zone, name: name) + "/actions/remove_records", body: Array(body), operation: "remove_records", as: HetznerActionResponse.self).action
    }

    /// Polls the action until it is no longer `running` (as hcloud-go does, with
    /// `GET /actions?id=`); throws `HetznerActionError` when it ended in `error`.
    func waitUntilFinished(_ action: HetznerAction) async throws {
        var current = action
        var delay = polling.initialDelay
        let start = ContinuousClock.now
        // Within the challenge's budget, so this timeout, not the caller's, is what users read.
        let deadline = ProviderCallScope.clamped(polling.deadline)
        while current.status == "running" {
            guard ContinuousClock.now - start + delay < deadline else {
                // A round figure, the same on every retry: the polling limit or the budget.
                let limit = deadline < polling.deadline ? ProviderCallScope.current?.budget ?? deadline : polling.deadline
                throw HetznerActionTimeout(command: current.command ?? "action", waited: limit)
            }
            try await polling.sleep(delay)
            delay = min(delay * 2, polling.maximumDelay)
            let response = try await call("GET", "/actions", query: [("id", String(current.id))], operation: "read action \(current.id)", as: HetznerActionsResponse.self)
            guard let found = response.actions.first(where: { $0.id == current.id }) else {
                throw HetznerResponseDecodingError(operation: "read action \(current.id)")
            }
            current = found
        }
        if current.status == "error" {
            throw HetznerActionError(command: current.command ?? "action", code: current.error?.code ?? "error", message: current.error?.message ?? "")
        }
    }

    private func rrsetPath(zone: String, name: String) -> String {
        "/zones/\(PercentEncoding.rfc3986(zone))/rrsets/\(PercentEncoding.rfc3986(name))/TXT"
    }

    private struct RecordsBody: Encodable {
        struct Record: Encodable { var value: String }
        var records: [Record]
        var ttl: Int?
    }

    /// One call: bearer token, JSON, retried on throttling, 5xx and transient network failures.
    private func call<Response: Decodable & Sendable>(
        _ method: String, _ path: String, query: [(String, String)] = [], body: [UInt8] = [],
        operation: String, as _: Response.Type
    ) async throws -> Response {
        var url = endpoint + path
        if !query.isEmpty { url += "?" + PercentEncoding.query(query) }
        var headers: [APIRequest.Header] = [
            .init("Authorization", "Bearer " + token.text),
            .init("Accept", "application/json"),
            .init("User-Agent", "dns01-webhook"),
        ]
        if !body.isEmpty { headers.append(.init("Content-Type", "application/json")) }
        let request = APIRequest(method: method, url: url, headers: headers, body: body)
        let response = try await retryPolicy.run(shouldRetry: Self.shouldRetry) { attempt in
            let response = try await ProviderRequests.send(request, through: transport, timeout: timeout, operation: ProviderRequests.restOperation(method: method, path: path)) { response in
                response.status == 429 || HetznerAPIError(operation: operation, response: response).code == "rate_limit_exceeded" ? .throttled : ProviderRequestOutcome(status: response.status)
            }
            guard (200..<300).contains(response.status) else {
                let error = HetznerAPIError(operation: operation, response: response)
                logger.debug(
                    "Hetzner Cloud API error",
                    metadata: [
                        "operation": "\(operation)", "status": "\(response.status)", "code": "\(error.code)", "attempt": "\(attempt)",
                        "correlationId": "\(response.headers.first { $0.name.lowercased() == "x-correlation-id" }?.value ?? "-")",
                    ])
                throw error
            }
            return response
        }
        do {
            return try JSONDecoder().decode(Response.self, from: Data(response.body))
        } catch {
            throw HetznerResponseDecodingError(operation: operation)
        }
    }

    private static let shouldRetry: @Sendable (any Error) -> Bool = { error in
        switch error {
        case let error as HetznerAPIError: error.isTransient
        case let error as TransportError: error.isTransient
        default: false
        }
    }
}

/// How actions are polled: a short first wait (actions usually finish within a second), then
/// doubling up to `maximumDelay`, for at most `deadline`.
public struct HetznerActionPolling: Sendable {
    public var initialDelay: Duration
    public var maximumDelay: Duration
    public var deadline: Duration
    public var sleep: @Sendable (Duration) async throws -> Void

    public init(
        initialDelay: Duration = .milliseconds(250),
        maximumDelay: Duration = .seconds(2),
        deadline: Duration = .seconds(30),
        sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }
    ) {
        self.initialDelay = initialDelay
        self.maximumDelay = maximumDelay
        self.deadline = deadline
        self.sleep = sleep
    }
}

/// An action still `running` when polling gave up.
struct HetznerActionTimeout: Error, Sendable, CustomStringConvertible {
    let command: String
    let waited: Duration
    var description: String { "action \(command) still running after \(waited)" }
}

extension JSONEncoder {
    /// Compact and with sorted keys, so request bodies are stable.
    static var hetzner: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}
