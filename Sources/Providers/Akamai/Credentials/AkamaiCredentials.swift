import Crypto
import DNS01
import ProviderKit

/// One challenge's EdgeGrid credentials: the API client's client token, client secret and
/// access token, each from the Secret its field references.
struct AkamaiCredentials: Sendable {
    let signer: EdgeGridSigner
    let clientSecret: SecretValue
    /// "secret team-a/akamai-dns", for messages.
    let origin: String
    /// The fields, for messages: `akamai.clientTokenSecretRef` and so on.
    let clientTokenField: String
    let clientSecretField: String
    let accessTokenField: String

    static func load(_ configuration: AkamaiConfiguration, context: ProviderContext) async throws -> AkamaiCredentials {
        let path = configuration.path
        func read(_ reference: SecretReference, _ key: String, _ what: String) async throws -> String {
            let field = path.appending(key)
            let text = try await context.secret(reference, field: field).text
            guard !text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F || $0 == " " || $0 == ";" }) else {
                throw DNS01Error(
                    .credentialsUnavailable, "\(field): the Akamai \(what) in secret \(context.namespace)/\(reference.name) key \"\(reference.key)\" contains a space, semicolon, line break or other control character; store the \(what) alone")
            }
            return text
        }
        let clientToken = try await read(configuration.clientTokenSecretRef, "clientTokenSecretRef", "client token")
        let clientSecret = try await read(configuration.clientSecretSecretRef, "clientSecretSecretRef", "client secret")
        let accessToken = try await read(configuration.accessTokenSecretRef, "accessTokenSecretRef", "access token")
        var names: [String] = []
        for reference in [configuration.clientTokenSecretRef, configuration.clientSecretSecretRef, configuration.accessTokenSecretRef] where !names.contains(reference.name) {
            names.append(reference.name)
        }
        return AkamaiCredentials(
            signer: EdgeGridSigner(clientToken: clientToken, clientSecret: clientSecret, accessToken: accessToken),
            clientSecret: SecretValue(clientSecret),
            origin: (names.count == 1 ? "secret " : "secrets ") + names.map { "\(context.namespace)/\($0)" }.joined(separator: ", "),
            clientTokenField: path.appending("clientTokenSecretRef").description,
            clientSecretField: path.appending("clientSecretSecretRef").description,
            accessTokenField: path.appending("accessTokenSecretRef").description
        )
    }

    /// Names the API client for cache keys without revealing its secret.
    var identity: String {
        var hasher = SHA256()
        for part in [Array(signer.clientToken.utf8), Array(signer.accessToken.utf8), clientSecret.bytes] {
            hasher.update(data: Array(String(part.count).utf8) + [0])
            hasher.update(data: part)
        }
        return Array(hasher.finalize()).hexString
    }
}
