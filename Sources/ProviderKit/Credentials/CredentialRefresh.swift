/// When temporary credentials (STS keys, OAuth2 tokens) are replaced: the one rule every
/// provider uses.
///
/// Credentials are reused until a margin before they expire. The margin is a fifth of their
/// remaining life, but at least a minute and at most five: at least a minute so that a
/// credential handed to a challenge outlives that challenge (the kube-apiserver gives a webhook
/// call 60 s) and a modest clock skew; at most five minutes, the AWS SDKs' refresh window, so a
/// 12-hour session is not thrown away hours early; and never more than half the remaining
/// life, so a short-lived credential is still used for a while before it is replaced.
public enum CredentialRefresh {
    /// How long to keep using credentials that stay valid for `remaining` seconds more.
    public static func reuseSeconds(remaining: Int64) -> Int64 {
        guard remaining > 0 else { return 0 }
        let margin = min(min(max(remaining / 5, 60), 300), remaining / 2)
        return remaining - margin
    }

    /// The same, as a `Duration` for `ExpiringCache` loads.
    public static func reuseDuration(remaining seconds: Int64) -> Duration {
        .seconds(reuseSeconds(remaining: seconds))
    }
}
