import Crypto
import DNS01
import ProviderKit

/// One challenge's Gandi credential and where it came from (for messages; never the value).
struct GandiCredential: Sendable {
    let value: SecretValue
    let type: GandiConfiguration.APIKeyType
    /// "secret cert-manager/gandi key \"token\"".
    let origin: String

    /// The `Authorization` header value.
    var authorization: String {
        switch type {
        case .personalAccessToken: "Bearer " + value.text
        case .apiKey: "Apikey " + value.text
        }
    }

    /// What the credential is, as a message names it.
    var kind: String {
        switch type {
        case .personalAccessToken: "personal access token"
        case .apiKey: "API key"
        }
    }

    /// Caches are keyed by a digest of the credential, never the credential itself.
    var identity: String {
        "\(type.rawValue):" + Array(Array(SHA256.hash(data: Array(value.text.utf8))).prefix(16)).hexString
    }
}
