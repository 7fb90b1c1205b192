import DNS01
import Foundation
import Logging
import ProviderKit

/// Azure Resource Manager's DNS paths for one subscription and resource group, as one identity.
struct AzureDNSClient: Sendable {
    /// The API version cert-manager's Go SDK (armdns v1.2.0) uses.
    static let apiVersion = "2018-05-01"

    let endpoint: BaseURL
    let subscriptionID: String
    let resourceGroup: String
    let tokens: AzureTokenSource
    let transport: any HTTPTransport
    let retryPolicy: RetryPolicy
    let requestTimeout: Duration
    let logger: Logger

    /// At most this many pages of zones are read (100 zones a page).
    static let maximumPages = 50

    private var groupPath: String {
        "/subscriptions/\(PercentEncoding.rfc3986(subscriptionID))/resourceGroups/\(PercentEncoding.rfc3986(resourceGroup))/providers/Microsoft.Network/dnsZones"
    }

    private func recordSetPath(zone: AzureZone, name: String) -> String {
        "\(groupPath)/\(PercentEncoding.rfc3986(zone.azureName))/TXT/\(PercentEncoding.rfc3986(name))"
    }

    /// Every DNS zone of the resource group (following `nextLink`).
    func zones() async throws -> [AzureZone] {
        var zones: [AzureZone] = []
        var url = endpoint.url(groupPath, query: "api-version=\(Self.apiVersion)&$top=100")
        for _ in 0..<Self.maximumPages {
            let response = try await call("GET", url: url, operation: "list the DNS zones of resource group \(resourceGroup)")
            guard let page = try? JSONDecoder().decode(ARMList<ARMZoneItem>.self, from: Data(response.body)) else {
                throw ARMUnreadableResponse(operation: "list the DNS zones of resource group \(resourceGroup)")
            }
            zones += (page.value ?? []).compactMap { item in
                guard let name = try? DomainName(item.name), !name.isRoot else { return nil }
                return AzureZone(zoneName: name, azureName: item.name)
            }
            // Follow a next page only on the endpoint's own host: the bearer token goes with it.
            guard let next = page.nextLink, !next.isEmpty else { break }
            guard next.lowercased().hasPrefix("\(endpoint.scheme)://\(endpoint.authority)/".lowercased()) else {
                throw ARMUnreadableResponse(operation: "list the DNS zones of resource group \(resourceGroup) (its next page is on another host)")
            }
            url = next
        }
        return zones
    }

    /// The TXT record set `name` of `zone`, or `nil` when there is none.
    func recordSet(zone: AzureZone, name: String) async throws -> AzureTXTRecordSet? {
        let operation = "read the TXT record set \(name) of zone \(zone.azureName)"
        do {
            let response = try await call("GET", path: recordSetPath(zone: zone, name: name), operation: operation)
            return try decodeSet(response, operation: operation)
        } catch let error as ARMError where error.status == 404 && !Self.missingParentCodes.contains(error.code ?? "") {
            return nil
        }
    }

    /// 404 codes that mean the zone, group or subscription is missing, not the record set.
    static let missingParentCodes: Set<String> = ["ResourceNotFound", "ParentResourceNotFound", "ResourceGroupNotFound", "SubscriptionNotFound"]

    /// Writes the record set under a precondition: `If-Match: etag` for an existing set,
    /// `If-None-Match: *` for a new one. A concurrent writer makes it fail with 412.
    func putRecordSet(zone: AzureZone, name: String, records: [[String]], ttl: Int, metadata: [String: String]?, etag: String?) async throws -> AzureTXTRecordSet {
        let operation = "write the TXT record set \(name) of zone \(zone.azureName)"
        let precondition: APIRequest.Header = etag.map { .init("If-Match", $0) } ?? .init("If-None-Match", "*")
        let response = try await call(
            "PUT", path: recordSetPath(zone: zone, name: name), body: try AzureTXTRecordSet.body(records: records, ttl: ttl, metadata: metadata),
            extraHeaders: [precondition], operation: operation)
        return try decodeSet(response, operation: operation)
    }

    /// Deletes the record set if it still has `etag`.
    func deleteRecordSet(zone: AzureZone, name: String, etag: String) async throws {
        _ = try await call(
            "DELETE", path: recordSetPath(zone: zone, name: name), extraHeaders: [.init("If-Match", etag)],
            operation: "delete the TXT record set \(name) of zone \(zone.azureName)")
    }

    private func decodeSet(_ response: APIResponse, operation: String) throws -> AzureTXTRecordSet {
        guard var set = try? JSONDecoder().decode(AzureTXTRecordSet.self, from: Data(response.body)) else {
            throw ARMUnreadableResponse(operation: operation)
        }
        if set.etag == nil { set.etag = response.headers.first { $0.name.lowercased() == "etag" }?.value }
        return set
    }

    private func call(
        _ method: String, path: String, body: [UInt8] = [], extraHeaders: [APIRequest.Header] = [], operation: String
    ) async throws -> APIResponse {
        try await call(method, url: endpoint.url(path, query: "api-version=\(Self.apiVersion)"), body: body, extraHeaders: extraHeaders, operation: operation)
    }

    /// One call, retried on throttling, 5xx and transient network failures; a refused token
    /// is replaced once (it may have been revoked or have expired early).
    private func call(
        _ method: String, url: String, body: [UInt8] = [], extraHeaders: [APIRequest.Header] = [], operation: String
    ) async throws -> APIResponse {
        do {
            return try await attempt(method, url: url, body: body, extraHeaders: extraHeaders, operation: operation)
        } catch let error as ARMError where error.isUnauthenticated {
            tokens.invalidate()
            return try await attempt(method, url: url, body: body, extraHeaders: extraHeaders, operation: operation)
        }
    }

    private func attempt(_ method: String, url: String, body: [UInt8], extraHeaders: [APIRequest.Header], operation: String) async throws -> APIResponse {
        try await retryPolicy.run(shouldRetry: Self.shouldRetry, serverDelay: Self.serverDelay) { attempt in
            let token = try await tokens.token()
            var headers: [APIRequest.Header] = [
                .init("Authorization", "Bearer " + token.text), .init("Accept", "application/json"), .init("User-Agent", "dns01-webhook"),
            ]
            if !body.isEmpty { headers.append(.init("Content-Type", "application/json")) }
            headers += extraHeaders
            let response = try await transport.send(APIRequest(method: method, url: url, headers: headers, body: body), timeout: requestTimeout)
            guard (200..<300).contains(response.status) else {
                let error = ARMError(operation: operation, response: response)
                logger.debug(
                    "Azure Resource Manager error",
                    metadata: ["method": "\(method)", "status": "\(response.status)", "code": "\(error.code ?? "")", "attempt": "\(attempt)"])
                throw error
            }
            return response
        }
    }

    /// How long Resource Manager asked us to wait, when it said.
    private static let serverDelay: @Sendable (any Error) -> Duration? = { ($0 as? ARMError)?.retryAfter }

    private static let shouldRetry: @Sendable (any Error) -> Bool = { error in
        switch error {
        case let error as ARMError: error.isRetryable
        case let error as TransportError: error.isTransient
        case let error as AzureTokenError: error.isRetryable
        default: false
        }
    }
}
