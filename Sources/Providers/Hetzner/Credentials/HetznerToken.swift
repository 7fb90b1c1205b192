import Crypto
import DNS01
import Foundation
import ProviderKit

/// One challenge's API token and where it came from (for messages; never the value).
struct HetznerToken: Sendable {
    let value: SecretValue
    /// "secret cert-manager/hetzner key \"token\"", "file /var/run/…".
    let origin: String

    /// Caches (zone lists) are keyed by a digest of the token, never the token itself.
    var identity: String {
        "token:" + Array(Array(SHA256.hash(data: Array(value.text.utf8))).prefix(16)).hexString
    }

    static func resolve(_ source: HetznerConfiguration.TokenSource, context: ProviderContext, readFile: @Sendable (String) throws -> Data?) async throws -> HetznerToken {
        switch source {
        case .secret(let reference):
            let value = try await context.secret(reference)
            return HetznerToken(value: value, origin: "secret \(context.namespace)/\(reference.name) key \"\(reference.key)\"")
        case .file(let path):
            // A file in the webhook's pod is the operator's credential: an Issuer in some
            // namespace may use it only as ambient credentials (cert-manager allows those for
            // ClusterIssuers only).
            guard context.origin == .operatorConfig || context.allowAmbientCredentials else {
                throw DNS01Error(
                    .forbiddenByPolicy,
                    "tokenFilePath \(path) reads a file in the webhook's pod, which an Issuer may do only when ambient credentials are allowed (a ClusterIssuer); use tokenSecretKeyRef with a Secret in the Issuer's namespace, or set tokenFilePath in the webhook's own config"
                )
            }
            guard let data = try readFile(path) else {
                throw DNS01Error(.credentialsUnavailable, "cannot read the Hetzner API token file \(path) (tokenFilePath): is it mounted into the webhook's pod?")
            }
            let value = SecretValue(bytes: Array(data))
            guard !value.isEmpty else {
                throw DNS01Error(.credentialsUnavailable, "the Hetzner API token file \(path) (tokenFilePath) is empty")
            }
            return HetznerToken(value: value, origin: "file \(path)")
        }
    }
}
