import DNS01

/// One set of AWS credentials. The secret parts are `SecretValue`s, so they print as
/// `<redacted>` in logs and errors; only the signer reads their bytes.
public struct AWSCredentials: Sendable, Hashable, CustomStringConvertible {
    public var accessKeyID: String
    public var secretAccessKey: SecretValue
    /// Present for temporary credentials (STS, IRSA, Pod Identity); signed as `x-amz-security-token`.
    public var sessionToken: SecretValue?
    /// When temporary credentials stop working; `nil` for long-term keys.
    public var expiration: AWSTimestamp?

    public init(accessKeyID: String, secretAccessKey: SecretValue, sessionToken: SecretValue? = nil, expiration: AWSTimestamp? = nil) {
        self.accessKeyID = accessKeyID
        // Secrets written with `echo … | base64` carry a newline; AWS keys never contain whitespace.
        self.secretAccessKey = SecretValue(secretAccessKey.text)
        self.sessionToken = sessionToken.map { SecretValue($0.text) }
        self.expiration = expiration
    }

    public var description: String {
        "AWSCredentials(\(accessKeyID)\(sessionToken == nil ? "" : ", temporary")\(expiration.map { ", expires \($0)" } ?? ""))"
    }
}
