import Crypto
import DNS01
import ProviderKit

/// A DigitalOcean personal access token, sent as `Authorization: Bearer`. Surrounding
/// whitespace is dropped (cert-manager trims the token too).
struct DigitalOceanToken: Sendable {
    let secret: SecretValue
    /// "the token in secret team-a/digitalocean-dns (digitalocean.tokenSecretRef)", for messages.
    let origin: String

    static func load(_ configuration: DigitalOceanConfiguration, context: ProviderContext) async throws -> DigitalOceanToken {
        let field = configuration.path.appending("tokenSecretRef")
        let reference = configuration.tokenSecretRef
        let text = try await context.secret(reference, field: field).text
        guard !text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F || $0 == " " }) else {
            throw DNS01Error(.credentialsUnavailable, "\(field): the DigitalOcean token in secret \(context.namespace)/\(reference.name) key \"\(reference.key)\" contains a space, line break or other control character; store the token alone")
        }
        return DigitalOceanToken(secret: SecretValue(text), origin: "the token in secret \(context.namespace)/\(reference.name) (\(field))")
    }

    var header: APIRequest.Header { .init("Authorization", "Bearer " + secret.text) }

    /// A digest of the token, for cache keys: different tokens never share cached domains.
    var identity: String { Array(SHA256.hash(data: secret.bytes)).hexString }
}
