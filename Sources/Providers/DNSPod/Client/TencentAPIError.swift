import Foundation
import ProviderKit

/// An error answer from Tencent Cloud API 3.0. The service answers errors with HTTP 200 and
/// `{"Response": {"Error": {"Code", "Message"}, "RequestId"}}`; a gateway failure is a real
/// HTTP 5xx with no such body, kept as code `HTTP<status>`.
struct TencentAPIError: Error, Sendable, Hashable, CustomStringConvertible {
    let action: String
    let httpStatus: Int
    let code: String
    let message: String
    /// For logs only: it changes on every request, so it never goes into a user's message.
    let requestId: String?

    /// Throttling, an internal error or a gateway failure: the same call, signed afresh, may
    /// well succeed.
    var isTransient: Bool {
        isThrottling || code.hasPrefix("InternalError") || code == "ResourceUnavailable" || code == "ServiceUnavailable"
            || httpStatus >= 500 || httpStatus == 429
    }

    var isThrottling: Bool { code.hasPrefix("RequestLimitExceeded") || code == "FailedOperation.FrequencyLimit" || httpStatus == 429 }

    /// The temporary keys in use are no longer accepted (fresh ones from STS would be).
    var meansTemporaryKeysExpired: Bool {
        code == "AuthFailure.TokenFailure" || code == "AuthFailure.SecretIdNotFound"
    }

    var description: String { "\(action): HTTP \(httpStatus) \(code): \(message)" }
}

/// A 200 answer whose body is not what the action returns.
struct TencentResponseDecodingError: Error, CustomStringConvertible {
    let action: String
    let detail: String
    var description: String { "\(action): unexpected response from the API (\(detail))" }
}

/// The temporary keys expired early and were dropped; the next attempt fetches new ones.
struct RetryWithFreshTencentKeys: Error, CustomStringConvertible {
    let underlying: TencentAPIError
    var description: String { underlying.description }
}
