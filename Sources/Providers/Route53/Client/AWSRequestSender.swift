import DNS01
import ProviderKit

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Sends AWS API requests: signs each attempt afresh (a retried request gets a new date),
/// classifies error answers, and retries throttling and transient failures with the
/// capped, jittered backoff of `RetryPolicy`, bounded by its deadline and the challenge's
/// budget (`serve`'s request timeout leaves 22.5 s by default, so 20 s of retrying fits).
public struct AWSRequestSender: Sendable {
    public var transport: any HTTPTransport
    public var retryPolicy: RetryPolicy
    /// The wall clock, read once per attempt (injectable for tests).
    public var now: @Sendable () -> AWSTimestamp
    public var requestTimeout: Duration

    public init(
        transport: any HTTPTransport,
        retryPolicy: RetryPolicy = RetryPolicy(maximumAttempts: 8, baseDelay: .milliseconds(200), maximumDelay: .seconds(5), deadline: .seconds(20)),
        now: @escaping @Sendable () -> AWSTimestamp = AWSTimestamp.now,
        requestTimeout: Duration = .seconds(30)
    ) {
        self.transport = transport
        self.retryPolicy = retryPolicy
        self.now = now
        self.requestTimeout = requestTimeout
    }

    /// Sends `request` (signed by `signer` when given, each attempt paced by `pacer`) and returns a 2xx response, or throws
    /// `AWSServiceError` / `TransportError`.
    public func send(_ request: APIRequest, operation: String, signer: SigV4Signer?, pacer: RequestPacer? = nil) async throws -> APIResponse {
        try await retryPolicy.run(shouldRetry: Self.isRetryable) { _ in
            try await pacer?.acquire()
            let outgoing = signer.map { $0.sign(request, at: now()).request } ?? request
            let response = try await ProviderRequests.send(outgoing, through: transport, timeout: requestTimeout, operation: operation) { response in
                (200..<300).contains(response.status) ? .success : AWSServiceError.parse(operation: operation, response: response).isThrottling ? .throttled : .error
            }
            guard (200..<300).contains(response.status) else {
                var error = AWSServiceError.parse(operation: operation, response: response)
                error.host = APIRequest.hostOf(outgoing.url)
                throw error
            }
            return response
        }
    }

    static func isRetryable(_ error: any Error) -> Bool {
        if let service = error as? AWSServiceError { return service.isRetryable }
        // A refused connection, an unknown host or a failed certificate check fails the same
        // way on every attempt: say so at once instead of spending the challenge's deadline.
        return (error as? TransportError)?.isTransient == true
    }
}
