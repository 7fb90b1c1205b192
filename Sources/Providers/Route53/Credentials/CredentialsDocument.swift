import DNS01
import Foundation

/// The JSON credentials document the AWS credential endpoints answer with: the EKS Pod
/// Identity / ECS agent, and the instance metadata service (which adds `Code` and `Message`).
struct CredentialsDocument: Decodable {
    var Code: String?
    var Message: String?
    var AccessKeyId: String?
    var SecretAccessKey: String?
    var Token: String?
    var Expiration: String?

    /// The document in `body`, or `nil` when it is not one.
    static func decode(_ body: some Collection<UInt8>) -> CredentialsDocument? {
        try? JSONDecoder().decode(CredentialsDocument.self, from: Data(body))
    }

    /// The credentials, when the document holds a key pair and reports no failure.
    var credentials: AWSCredentials? {
        guard Code == nil || Code == "Success", let AccessKeyId, let SecretAccessKey else { return nil }
        return AWSCredentials(
            accessKeyID: AccessKeyId,
            secretAccessKey: SecretValue(SecretAccessKey),
            sessionToken: Token.map(SecretValue.init),
            expiration: Expiration.flatMap { AWSTimestamp(iso8601: $0) }
        )
    }
}
