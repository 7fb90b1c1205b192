import DNS01
import ProviderKit

/// An error answer from an AWS API (Route53 or STS), reduced to what is stable: the operation,
/// the HTTP status, the error code and the message(s). The request id is dropped on purpose:
/// cert-manager re-queues a Challenge at once whenever its error message changes.
public struct AWSServiceError: Error, Sendable, Hashable, CustomStringConvertible {
    public var operation: String
    public var status: Int
    public var code: String
    public var messages: [String]
    /// The endpoint that answered (`route53.amazonaws.com`), for messages; empty when unknown.
    public var host: String

    public init(operation: String, status: Int, code: String, messages: [String], host: String = "") {
        self.operation = operation
        self.status = status
        self.code = code
        self.messages = messages
        self.host = host
    }

    public var description: String {
        let text = messages.joined(separator: "; ")
        return "\(operation): \(code)\(text.isEmpty ? "" : ": \(text)")"
    }

    /// Codes the AWS SDKs retry as throttling (aws-sdk-go-v2 `DefaultThrottleErrorCodes`), plus
    /// Route53's "a prior change to this zone is still being applied".
    static let throttlingCodes: Set<String> = [
        "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException", "TooManyRequestsException",
        "ProvisionedThroughputExceededException", "TransactionInProgressException", "RequestLimitExceeded",
        "BandwidthLimitExceeded", "LimitExceededException", "RequestThrottled", "SlowDown", "PriorRequestNotComplete",
        "EC2ThrottledException",
    ]

    /// Throttling, or a server-side failure that a later attempt may not hit.
    public var isRetryable: Bool {
        Self.throttlingCodes.contains(code) || status == 429 || status >= 500
            || ["InternalFailure", "InternalError", "ServiceUnavailable", "IDPCommunicationError"].contains(code)
    }

    /// Reads both error shapes Route53 uses (`<ErrorResponse><Error>` and, for
    /// ChangeResourceRecordSets, `<InvalidChangeBatch><Messages>`), STS's, and S3-style `<Error>`.
    /// A body that is not XML yields a code made of the HTTP status.
    public static func parse(operation: String, response: APIResponse) -> AWSServiceError {
        guard let root = try? XMLNode.parse(response.body) else {
            return AWSServiceError(operation: operation, status: response.status, code: "HTTP\(response.status)", messages: [])
        }
        let error = root.name == "Error" ? root : root.child("Error")
        if root.name == "InvalidChangeBatch" {
            let messages = root.child("Messages")?.children("Message").map(\.text) ?? root.children("Message").map(\.text)
            return AWSServiceError(operation: operation, status: response.status, code: "InvalidChangeBatch", messages: messages)
        }
        if let error, let code = error.text(at: "Code"), !code.isEmpty {
            let message = error.text(at: "Message") ?? error.text(at: "message") ?? ""
            return AWSServiceError(operation: operation, status: response.status, code: code, messages: message.isEmpty ? [] : [message])
        }
        return AWSServiceError(operation: operation, status: response.status, code: "HTTP\(response.status)", messages: [])
    }
}

extension DNS01Error {
    /// How a failed AWS call reads to cert-manager and CLI users.
    static func route53(_ error: any Error, context: String) -> DNS01Error {
        if let known = error as? DNS01Error { return known }
        guard let service = error as? AWSServiceError else {
            return DNS01Error(.providerUnavailable, "\(context): \(PlainErrorText.describe(error))")
        }
        let code: DNS01Error.Code
        // Refused credentials and permissions fail at once: say who refused and what to check.
        let by = service.host.isEmpty ? "" : " (answered by \(service.host))"
        var advice = ""
        switch service.code {
        case "NoSuchHostedZone": code = .zoneNotFound
        case "InvalidClientTokenId", "SignatureDoesNotMatch", "ExpiredToken", "ExpiredTokenException", "UnrecognizedClientException",
            "InvalidIdentityToken", "IDPRejectedClaim", "MissingAuthenticationToken":
            code = .credentialsUnavailable
            advice = "\(by); check the credentials: accessKeyID and secretAccessKeySecretRef (or the role and its token), their region and endpoint"
        case "AccessDenied", "AccessDeniedException":
            code = .providerRejected
            advice = "\(by); the IAM policy of the credentials must allow route53:\(service.operation) (docs/providers/route53.md lists the actions)"
        default:
            if service.status == 401 || service.status == 403 {
                code = .credentialsUnavailable
                advice = "\(by); check the credentials (accessKeyID and secretAccessKeySecretRef, or the role) and that endpoint is an AWS Route 53 API"
            } else {
                code = service.isRetryable ? .providerUnavailable : .providerRejected
            }
        }
        return DNS01Error(code, "\(context): \(service)\(advice)")
    }
}

extension AWSServiceError {
    /// Refused for the rate limit (`dns01_webhook_provider_requests_total{outcome="throttled"}`).
    public var isThrottling: Bool { Self.throttlingCodes.contains(code) || status == 429 }
}
