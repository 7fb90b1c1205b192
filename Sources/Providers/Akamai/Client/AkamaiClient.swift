import DNS01
import Foundation
import Logging
import ProviderKit

/// The Edge DNS (config-dns v2) calls a DNS-01 solver needs, signed with EdgeGrid afresh on
/// every attempt (new timestamp, new nonce: Akamai refuses a nonce it has seen). Throttling
/// (after `Retry-After` or `X-RateLimit-Next`), 5xx and network failures are retried.
struct AkamaiClient: Sendable {
    static let zonesPerPage = 100
    static let maximumPages = 500

    let endpoint: BaseURL
    let credentials: AkamaiCredentials
    let transport: any HTTPTransport
    let retryPolicy: RetryPolicy
    let environment: AkamaiEnvironment
    let logger: Logger

    /// Every zone the API client can see (all pages).
    func zones() async throws -> [AkamaiZone] {
        var zones: [AkamaiZone] = []
        var seen = 0
        for page in 1...Self.maximumPages {
            let answer = try await call(
                "GET", "/config-dns/v2/zones",
                query: [
                    ("page", String(page)), ("pageSize", String(Self.zonesPerPage)),
                ], operation: "list the zones", as: AkamaiZonesPage.self)
            seen += answer.zones.count
            zones += answer.zones.compactMap { item in
                guard let name = try? DomainName(item.zone), !name.isRoot else { return nil }
                return AkamaiZone(apiName: item.zone, zoneName: name)
            }
            guard !answer.zones.isEmpty, let total = answer.metadata?.totalElements, seen < total else { break }
        }
        return zones
    }

    /// The TXT record set at `name`, or nil when there is none (404, and only 404: unlike
    /// cert-manager, an authentication or server error is never taken for "no set").
    func txtSet(zone: AkamaiZone, name: DomainName) async throws -> AkamaiRecordSet? {
        do {
            return try await call("GET", path(zone, name), operation: "read the TXT record set at \(name.name)", as: AkamaiRecordSet.self)
        } catch let error as AkamaiAPIError where error.status == 404 && !error.isAuthentication {
            return nil
        }
    }

    enum WriteOutcome: Sendable, Equatable {
        case written
        /// POST: the set exists (409); PUT or DELETE: it does not (404). Read again.
        case conflict
    }

    /// Creates the set (POST, 201).
    func create(zone: AkamaiZone, name: DomainName, ttl: Int, rdata: [String]) async throws -> WriteOutcome {
        try await write("POST", zone, name, AkamaiRecordSet(name: name.name, type: "TXT", ttl: ttl, rdata: rdata), conflictStatus: 409, operation: "create the TXT record set at \(name.name)")
    }

    /// Replaces the set's values (PUT, 200).
    func replace(zone: AkamaiZone, name: DomainName, ttl: Int, rdata: [String]) async throws -> WriteOutcome {
        try await write("PUT", zone, name, AkamaiRecordSet(name: name.name, type: "TXT", ttl: ttl, rdata: rdata), conflictStatus: 404, operation: "replace the TXT record set at \(name.name)")
    }

    /// Deletes the set (DELETE, 204); a set already gone is fine.
    func delete(zone: AkamaiZone, name: DomainName) async throws {
        do {
            _ = try await call("DELETE", path(zone, name), operation: "delete the TXT record set at \(name.name)", as: Nothing.self)
        } catch let error as AkamaiAPIError where error.status == 404 && !error.isAuthentication {
            return
        }
    }

    private func write(_ method: String, _ zone: AkamaiZone, _ name: DomainName, _ set: AkamaiRecordSet, conflictStatus: Int, operation: String) async throws -> WriteOutcome {
        let body = try JSONEncoder().encode(set)
        do {
            _ = try await call(method, path(zone, name), body: Array(body), operation: operation, as: Nothing.self)
            return .written
        } catch let error as AkamaiAPIError where error.status == conflictStatus && !error.isAuthentication {
            return .conflict
        }
    }

    private func path(_ zone: AkamaiZone, _ name: DomainName) -> String {
        "/config-dns/v2/zones/\(PercentEncoding.rfc3986(zone.apiName))/names/\(PercentEncoding.rfc3986(name.name))/types/TXT"
    }

    private struct Nothing: Decodable, Sendable {}

    private func call<Response: Decodable & Sendable>(
        _ method: String, _ path: String, query: [(String, String)] = [], body: [UInt8] = [], operation: String, as _: Response.Type
    ) async throws -> Response {
        var headers: [APIRequest.Header] = [.init("Accept", "application/json"), .init("User-Agent", "dns01-webhook")]
        if !body.isEmpty { headers.append(.init("Content-Type", "application/json")) }
        let unsigned = APIRequest(method: method, url: endpoint.url(path, query: PercentEncoding.query(query)), headers: headers, body: body)
        return try await retryPolicy.run(shouldRetry: Self.shouldRetry, serverDelay: Self.serverDelay) { attempt in
            let timestamp = EdgeGridTimestamp.string(fromEpochSeconds: Int64(environment.epochSeconds()))
            let request = credentials.signer.sign(unsigned, timestamp: timestamp, nonce: environment.makeNonce()).request
            let response = try await ProviderRequests.send(request, through: transport, timeout: environment.requestTimeout, operation: ProviderRequests.restOperation(method: method, path: path))
            guard (200..<300).contains(response.status) else {
                let error = AkamaiAPIError(operation: operation, response: response, nowEpochSeconds: environment.epochSeconds())
                logger.debug(
                    "Akamai API error",
                    metadata: [
                        "method": "\(method)", "path": "\(path)", "status": "\(response.status)", "title": "\(error.title)", "attempt": "\(attempt)",
                    ])
                throw error
            }
            if Response.self == Nothing.self { return Nothing() as! Response }
            do {
                return try JSONDecoder().decode(Response.self, from: Data(response.body))
            } catch {
                throw AkamaiUnreadableResponse(operation: operation)
            }
        }
    }

    /// How long the server asked us to wait, when it said.
    static func serverDelay(_ error: any Error) -> Duration? { (error as? AkamaiAPIError)?.retryAfter }

    private static let shouldRetry: @Sendable (any Error) -> Bool = { error in
        switch error {
        case let error as AkamaiAPIError: error.isRetryable
        case let error as TransportError: error.isTransient
        default: false
        }
    }
}

/// What Akamai calls take from the world: the wall clock (EdgeGrid timestamps, rate-limit
/// times), nonces and the per-request timeout, injectable for tests.
public struct AkamaiEnvironment: Sendable {
    public var epochSeconds: @Sendable () -> Double
    public var makeNonce: @Sendable () -> String
    public var requestTimeout: Duration

    public init(
        epochSeconds: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 },
        makeNonce: @escaping @Sendable () -> String = { UUID().uuidString.lowercased() },
        requestTimeout: Duration = .seconds(30)
    ) {
        self.epochSeconds = epochSeconds
        self.makeNonce = makeNonce
        self.requestTimeout = requestTimeout
    }
}
