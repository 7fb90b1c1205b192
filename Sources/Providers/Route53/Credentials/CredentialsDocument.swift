import DNS01
import Foundation

/// The JSON credentials document the AWS credential endpoints answer with: the EKS Pod
/// Identity / ECS agent, and the instance metadata service (which adds `Code` and `Message`).
struct CredentialsDocument: Decodable {
    var code: String?
    var message: String?
    var accessKeyId: String?
    var secretAccessKey: String?
    var token: String?
    var expiration: String?

    enum CodingKeys: String, CodingKey {
        case code = "Code"
        case message = "Message"
        case accessKeyId = "AccessKeyId"
        case secretAccessKey = "SecretAccessKey"
        case token = "Token"
        case expiration = "Expiration"
    }

    /// The document in `body`, or `nil` when it is not one.
    static func decode(_ body: some Collection<UInt8>) -> CredentialsDocument? {
        try? JSONDecoder().decode(CredentialsDocument.self, from: Data(body))
    }

    /// The credentials, when the document holds a key pair and reports no failure.
    var credentials: AWSCredentials? {
        guard code == nil || code == "Success", let accessKeyId, let secretAccessKey else { return nil }
        return AWSCredentials(
            accessKeyID: accessKeyId,
            secretAccessKey: SecretValue(secretAccessKey),
            sessionToken: token.map(SecretValue.init),
            expiration: expiration.flatMap { AWSTimestamp(iso8601: $0) }
        )
    }
}
