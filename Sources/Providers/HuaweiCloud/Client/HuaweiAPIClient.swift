import DNS01
import Foundation
import Logging
import ProviderKit

/// Calls Huawei Cloud DNS v2 at one endpoint: REST requests signed with SDK-HMAC-SHA256 afresh on
/// every attempt, retried with capped jittered backoff on throttling, 5xx and network failures,
/// and decoded from JSON.
struct HuaweiAPIClient: Sendable {
    let endpoint: BaseURL
    let credentials: HuaweiCredentialSource
    /// Sent as `X-Project-Id` (needed when the account has several projects in the region).
    let projectId: String?
    let transport: any HTTPTransport
    let retryPolicy: RetryPolicy
    let environment: HuaweiCloudEnvironment
    let logger: Logger

    /// `method` on `path` with `query` (raw pairs) and a JSON `body`, decoded as `Response`.
    func call<Response: Decodable & Sendable>(
        _ operation: String,
        _ method: String,
        _ path: String,
        query: [(String, String)] = [],
        body: ConfigValue? = nil,
        as _: Response.Type = Response.self
    ) async throws -> Response {
        let unsigned = makeRequest(method, path, query: query, body: body)
        let signer = credentials.signer
        return try await retryPolicy.run(shouldRetry: Self.shouldRetry) { attempt in
            let request = signer.sign(unsigned, sdkDate: SDKDate.string(fromEpochSeconds: environment.epochSeconds())).request
            let response = try await ProviderRequests.send(request, through: transport, timeout: environment.requestTimeout, operation: operation) { response in
                (200..<300).contains(response.status) ? .success : HuaweiAPIError(operation: operation, response: response).isThrottling ? .throttled : .error
            }
            guard (200..<300).contains(response.status) else {
                let error = HuaweiAPIError(operation: operation, response: response)
                logger.debug(
                    "Huawei Cloud API error",
                    metadata: [
                        "operation": "\(operation)", "status": "\(response.status)", "code": "\(error.code)",
                        "requestId": "\(error.requestId ?? "-")", "attempt": "\(attempt)",
                    ])
                throw error
            }
            if Response.self == EmptyHuaweiResponse.self, let empty = EmptyHuaweiResponse() as? Response { return empty }
            do {
                return try JSONDecoder().decode(Response.self, from: Data(response.body))
            } catch {
                throw HuaweiResponseDecodingError(operation: operation, detail: "\(error)")
            }
        }
    }

    private func makeRequest(_ method: String, _ path: String, query: [(String, String)], body: ConfigValue?) -> APIRequest {
        // The query goes on the wire in the signer's canonical form (sorted and encoded), as the
        // SDK sends it.
        let wireQuery = query.map { PercentEncoding.rfc3986($0.0) + "=" + PercentEncoding.rfc3986($0.1) }.joined(separator: "&")
        let canonicalQuery = SDKHMACSigner.canonicalQuery(wireQuery)
        var headers: [APIRequest.Header] = [
            .init("Content-Type", "application/json"),
            .init("Host", endpoint.authority),
            .init("User-Agent", "dns01-webhook"),
        ]
        if let projectId { headers.append(.init("X-Project-Id", projectId)) }
        var bytes: [UInt8] = []
        body?.writeJSON(into: &bytes)
        return APIRequest(
            method: method,
            url: endpoint.url(path, query: canonicalQuery),
            headers: headers,
            body: bytes
        )
    }

    private static let shouldRetry: @Sendable (any Error) -> Bool = { error in
        switch error {
        case let error as HuaweiAPIError: error.isTransient
        case let error as TransportError: error.isTransient
        default: false
        }
    }
}

/// Operations whose answer body this provider does not read.
struct EmptyHuaweiResponse: Decodable, Sendable {}

/// What Huawei Cloud calls take from the world: wall-clock time and the per-request timeout,
/// injectable for tests.
public struct HuaweiCloudEnvironment: Sendable {
    public var epochSeconds: @Sendable () -> Int64
    public var requestTimeout: Duration

    public init(
        epochSeconds: @escaping @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970) },
        requestTimeout: Duration = .seconds(15)
    ) {
        self.epochSeconds = epochSeconds
        self.requestTimeout = requestTimeout
    }
}
