import DNS01
import Foundation
import Logging
import ProviderKit

/// Posts Alibaba Cloud RPC calls to one endpoint: form-encoded, signed afresh on every attempt
/// (new nonce, new timestamp), retried with capped jittered backoff on throttling, 5xx and
/// network failures, and decoded from JSON.
///
/// POST rather than GET keeps the signature and security token out of URLs, which proxies and
/// access logs record.
struct RPCClient: Sendable {
    let endpoint: BaseURL
    let version: String
    let transport: any HTTPTransport
    let retryPolicy: RetryPolicy
    let environment: RPCEnvironment
    let logger: Logger

    /// Calls `action`, signed with `credentials`' keys, or anonymously when `credentials` is nil
    /// (STS `AssumeRoleWithOIDC`).
    func call<Response: Decodable & Sendable>(
        _ action: String,
        _ parameters: [RPCParameter],
        credentials: (any AliCredentialSource)?,
        as _: Response.Type = Response.self
    ) async throws -> Response {
        try await retryPolicy.run(shouldRetry: Self.shouldRetry) { attempt in
            let request = try await makeRequest(action, parameters, credentials: credentials)
            let response = try await ProviderRequests.send(request, through: transport, timeout: environment.requestTimeout, operation: action) { response in
                response.status == 200 ? .success : AliAPIError(action: action, response: response).isThrottling ? .throttled : .error
            }
            guard response.status == 200 else {
                let error = AliAPIError(action: action, response: response)
                logger.debug(
                    "AliDNS API error",
                    metadata: [
                        "action": "\(action)", "status": "\(response.status)", "code": "\(error.code)",
                        "requestId": "\(error.requestId ?? "-")", "attempt": "\(attempt)",
                    ])
                if error.meansTemporaryKeysExpired, let credentials, credentials.invalidate() {
                    throw RetryWithFreshKeys(underlying: error)
                }
                throw error
            }
            do {
                return try JSONDecoder().decode(Response.self, from: Data(response.body))
            } catch {
                throw AliResponseDecodingError(action: action, detail: "\(PlainErrorText.describe(error))")
            }
        }
    }

    private func makeRequest(_ action: String, _ parameters: [RPCParameter], credentials: (any AliCredentialSource)?) async throws -> APIRequest {
        var all = parameters
        all.append(RPCParameter("Action", action))
        all.append(RPCParameter("Version", version))
        all.append(RPCParameter("Format", "JSON"))
        let nonce = environment.makeNonce()
        let timestamp = RPCTimestamp.string(fromEpochSeconds: environment.epochSeconds())
        let body: String
        if let credentials {
            body = try await credentials.credentials().signer.sign(method: "POST", parameters: all, nonce: nonce, timestamp: timestamp).formEncoded
        } else {
            all.append(RPCParameter("SignatureNonce", nonce))
            all.append(RPCParameter("Timestamp", timestamp))
            body = PercentEncoding.query(all.map { ($0.name, $0.value) })
        }
        return APIRequest(
            method: "POST",
            url: endpoint.url("/"),
            headers: [
                .init("Content-Type", "application/x-www-form-urlencoded"),
                .init("Accept", "application/json"),
                .init("User-Agent", "dns01-webhook"),
            ],
            body: Array(body.utf8)
        )
    }

    private static let shouldRetry: @Sendable (any Error) -> Bool = { error in
        switch error {
        case let error as AliAPIError: error.isTransient
        case is RetryWithFreshKeys: true
        case let error as TransportError: error.isTransient
        default: false
        }
    }
}

/// The temporary keys expired early and were dropped; the next attempt fetches new ones.
struct RetryWithFreshKeys: Error, CustomStringConvertible {
    let underlying: AliAPIError
    var description: String { underlying.description }
}

/// What RPC calls take from the world: wall-clock time and randomness, injectable for tests.
public struct RPCEnvironment: Sendable {
    public var epochSeconds: @Sendable () -> Int64
    public var makeNonce: @Sendable () -> String
    public var requestTimeout: Duration

    public init(
        epochSeconds: @escaping @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970) },
        makeNonce: @escaping @Sendable () -> String = { UUID().uuidString },
        requestTimeout: Duration = .seconds(15)
    ) {
        self.epochSeconds = epochSeconds
        self.makeNonce = makeNonce
        self.requestTimeout = requestTimeout
    }
}
