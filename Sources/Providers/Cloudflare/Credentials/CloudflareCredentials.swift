import Crypto
import DNS01
import ProviderKit

/// One challenge's Cloudflare credentials: an API token, or the account's global API key with
/// its email. Where they came from (`origin`) is what messages name; the values never are.
struct CloudflareCredentials: Sendable {
    enum Kind: Sendable {
        case apiToken
        case apiKey(email: String)
    }

    let kind: Kind
    let secret: SecretValue
    /// "the API token in secret team-a/cloudflare (apiTokenSecretRef)", for messages.
    let origin: String
    /// The config field that names the Secret (`apiTokenSecretRef`), for messages.
    let field: String

    /// Reads the referenced Secret and checks that the value can go into an HTTP header.
    /// cert-manager refuses a value with a control character; Secrets written with
    /// `echo … | base64` end in a newline, so surrounding whitespace is dropped first.
    static func load(_ configuration: CloudflareConfiguration, context: ProviderContext) async throws -> CloudflareCredentials {
        let reference: SecretReference
        let kind: Kind
        let what: String
        switch configuration.credentials {
        case .apiToken(let ref):
            (reference, kind, what) = (ref, .apiToken, "API token")
        case .apiKey(let email, let ref):
            (reference, kind, what) = (ref, .apiKey(email: email), "global API key")
        }
        let field = configuration.secretField
        let value = try await context.secret(reference, field: field)
        let text = value.text
        guard !text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F || $0 == " " }) else {
            throw DNS01Error(.credentialsUnavailable, "\(field): the Cloudflare \(what) in secret \(context.namespace)/\(reference.name) key \"\(reference.key)\" contains a space, line break or other control character; store the \(what) alone")
        }
        return CloudflareCredentials(
            kind: kind,
            secret: SecretValue(text),
            origin: "the \(what) in secret \(context.namespace)/\(reference.name)",
            field: field.description
        )
    }

    var isToken: Bool {
        if case .apiToken = kind { return true }
        return false
    }

    /// The authentication headers of every request.
    var headers: [APIRequest.Header] {
        switch kind {
        case .apiToken: [.init("Authorization", "Bearer " + secret.text)]
        case .apiKey(let email): [.init("X-Auth-Email", email), .init("X-Auth-Key", secret.text)]
        }
    }

    /// Names the principal for cache keys without revealing it: a digest of the value (and the
    /// email), so different tokens, or a right and a wrong key, never share cached zones.
    var identity: String {
        var hasher = SHA256()
        switch kind {
        case .apiToken: hasher.update(data: Array("token\u{0}".utf8))
        case .apiKey(let email): hasher.update(data: Array("key\u{0}\(email.lowercased())\u{0}".utf8))
        }
        hasher.update(data: secret.bytes)
        return Array(hasher.finalize()).hexString
    }
}
