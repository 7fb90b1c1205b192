import DNS01

/// How long an API asked a client to wait before its next request, from the headers of a
/// throttling answer. Used with `RetryPolicy.run(shouldRetry:serverDelay:_:)`.
public enum RetryAfter {
    /// `Retry-After: <seconds>`; `nil` when absent or an HTTP date (which APIs answering 429
    /// do not send in practice).
    public static func parse(_ response: APIResponse) -> Duration? {
        guard let text = response.headers.first(where: { $0.name.lowercased() == "retry-after" })?.value.trimmingWhitespace(),
            let seconds = Int64(text), seconds >= 0
        else { return nil }
        return .seconds(seconds)
    }

    /// The wait until a reset time given in seconds since the epoch (`RateLimit-Reset` of
    /// DigitalOcean, `X-RateLimit-Reset` of others), from `nowEpochSeconds`; `nil` when the
    /// header is absent or not a finite number, zero when the time has passed. A wait beyond a
    /// day is read as a day: the retry budget ends long before, and a huge value must not trap.
    public static func untilEpoch(header name: String, in response: APIResponse, nowEpochSeconds: Double) -> Duration? {
        guard let text = response.headers.first(where: { $0.name.lowercased() == name.lowercased() })?.value.trimmingWhitespace(),
            let reset = Double(text), reset.isFinite
        else { return nil }
        let wait = min(max(0, reset - nowEpochSeconds), 86_400)
        return .milliseconds(Int64((wait * 1000).rounded(.up)))
    }
}
