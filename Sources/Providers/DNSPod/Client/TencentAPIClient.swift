import DNS01
import Foundation
import Logging
import ProviderKit

/// Calls one Tencent Cloud API 3.0 product (`dnspod`, `sts`) at one endpoint: a JSON body posted
/// to `/`, signed with TC3-HMAC-SHA256 afresh on every attempt, retried with capped jittered
/// backoff on throttling, internal errors, 5xx and network failures, and decoded from the
/// `Response` envelope.
struct TencentAPIClient: Sendable {
    let endpoint: BaseURL
    /// The product, which is also the signature's service (`dnspod`, `sts`).
    let service: String
    let version: String
    /// Sent as `X-TC-Region` when set (STS needs it; DNSPod is not regional and gets none).
    let region: String?
    let transport: any HTTPTransport
    let retryPolicy: RetryPolicy
    let environment: TencentCloudEnvironment
    let logger: Logger

    /// Calls `action` with a JSON object of `parameters`, signed with `credentials`' keys, or
    /// anonymously when `credentials` is nil (STS `AssumeRoleWithWebIdentity`).
    func call<Response: Decodable & Sendable>(
        _ action: String,
        _ parameters: [String: ConfigValue],
        credentials: (any TencentCredentialSource)?,
        as _: Response.Type = Response.self
    ) async throws -> Response {
        var body: [UInt8] = []
        ConfigValue.object(parameters).writeJSON(into: &body)
        let unsigned = makeRequest(action, body: body)
        return try await retryPolicy.run(shouldRetry: Self.shouldRetry) { attempt in
            let request: APIRequest
            if let credentials {
                let keys = try await credentials.credentials()
                request = keys.signer(service: service).sign(unsigned, timestamp: environment.epochSeconds()).request
            } else {
                var anonymous = unsigned
                anonymous.headers.append(.init("X-TC-Timestamp", String(environment.epochSeconds())))
                anonymous.headers.append(.init("Authorization", "SKIP"))
                request = anonymous
            }
            let response = try await ProviderRequests.send(request, through: transport, timeout: environment.requestTimeout, operation: action) {
                Self.outcome(of: $0, action: action)
            }
            do {
                return try Self.decode(Response.self, action: action, from: response)
            } catch let error as TencentAPIError {
                logger.debug(
                    "Tencent Cloud API error",
                    metadata: [
                        "action": "\(action)", "status": "\(error.httpStatus)", "code": "\(error.code)",
                        "requestId": "\(error.requestId ?? "-")", "attempt": "\(attempt)",
                    ])
                if error.meansTemporaryKeysExpired, let credentials, credentials.invalidate() {
                    throw RetryWithFreshTencentKeys(underlying: error)
                }
                throw error
            }
        }
    }

    private func makeRequest(_ action: String, body: [UInt8]) -> APIRequest {
        var headers: [APIRequest.Header] = [
            .init("Content-Type", "application/json"),
            .init("Host", endpoint.authority),
            .init("X-TC-Action", action),
            .init("X-TC-Version", version),
            // English error messages: they end up in cert-manager's events.
            .init("X-TC-Language", "en-US"),
            .init("X-TC-RequestClient", "dns01-webhook"),
            .init("User-Agent", "dns01-webhook"),
        ]
        if let region { headers.append(.init("X-TC-Region", region)) }
        return APIRequest(method: "POST", url: endpoint.url("/"), headers: headers, body: body)
    }

    /// The `Response` object of a 200 answer, or the error it carries.
    static func decode<Response: Decodable>(_: Response.Type, action: String, from response: APIResponse) throws -> Response {
        let data = Data(response.body)
        let envelope = try? JSONDecoder().decode(TencentEnvelope.self, from: data)
        if let failure = envelope?.response.error {
            throw TencentAPIError(action: action, httpStatus: response.status, code: failure.code, message: failure.message ?? "", requestId: envelope?.response.requestId)
        }
        guard response.status == 200 else {
            throw TencentAPIError(action: action, httpStatus: response.status, code: "HTTP\(response.status)", message: "", requestId: nil)
        }
        guard envelope != nil else {
            throw TencentResponseDecodingError(action: action, detail: "no Response object")
        }
        do {
            return try JSONDecoder().decode(TencentWrapped<Response>.self, from: data).response
        } catch {
            throw TencentResponseDecodingError(action: action, detail: "\(error)")
        }
    }

    /// How `dns01_webhook_provider_requests_total` counts an answer: Tencent Cloud reports
    /// errors, throttling included, inside 200 answers.
    static func outcome(of response: APIResponse, action: String) -> ProviderRequestOutcome {
        struct AnyObject: Decodable {}
        do {
            _ = try decode(AnyObject.self, action: action, from: response)
            return .success
        } catch let error as TencentAPIError {
            return error.isThrottling ? .throttled : .error
        } catch {
            return .error
        }
    }

    private static let shouldRetry: @Sendable (any Error) -> Bool = { error in
        switch error {
        case let error as TencentAPIError: error.isTransient
        case let error as TransportError: error.isTransient
        case is RetryWithFreshTencentKeys: true
        default: false
        }
    }
}

/// What Tencent Cloud calls take from the world: wall-clock time and the per-request timeout,
/// injectable for tests.
public struct TencentCloudEnvironment: Sendable {
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

/// `{"Response": {"Error": {"Code", "Message"}, "RequestId"}}`, the part every answer shares.
private struct TencentEnvelope: Decodable {
    struct Inner: Decodable {
        struct Failure: Decodable {
            var code: String
            var message: String?
            enum CodingKeys: String, CodingKey {
                case code = "Code"
                case message = "Message"
            }
        }
        var error: Failure?
        var requestId: String?
        enum CodingKeys: String, CodingKey {
            case error = "Error"
            case requestId = "RequestId"
        }
    }
    var response: Inner
    enum CodingKeys: String, CodingKey { case response = "Response" }
}

/// `{"Response": <the action's answer>}`.
private struct TencentWrapped<Body: Decodable>: Decodable {
    var response: Body
    enum CodingKeys: String, CodingKey { case response = "Response" }
}
