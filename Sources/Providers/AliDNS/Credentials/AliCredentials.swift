import Crypto
import DNS01
import ProviderKit

/// An AccessKey pair, with the security token that STS-issued (temporary) keys need.
public struct AliCredentials: Sendable, Hashable {
    public var accessKeyId: String
    public var accessKeySecret: SecretValue
    public var securityToken: SecretValue?

    public init(accessKeyId: String, accessKeySecret: SecretValue, securityToken: SecretValue? = nil) {
        self.accessKeyId = accessKeyId
        self.accessKeySecret = accessKeySecret
        self.securityToken = securityToken
    }

    var signer: RPCSignatureV1 {
        RPCSignatureV1(accessKeyId: accessKeyId, accessKeySecret: accessKeySecret.text, securityToken: securityToken?.text)
    }

    /// A digest of the whole triple, so caches keyed by it are never shared between different
    /// keys, nor between the right and a wrong secret for one AccessKey ID.
    var fingerprint: String {
        var hasher = SHA256()
        for part in [Array(accessKeyId.utf8), accessKeySecret.bytes, securityToken?.bytes ?? []] {
            hasher.update(data: Array(String(part.count).utf8) + [0])
            hasher.update(data: part)
        }
        return Array(hasher.finalize()).hexString
    }
}

/// Where one challenge's credentials come from.
protocol AliCredentialSource: Sendable {
    /// The keys to sign the next request with.
    func credentials() async throws -> AliCredentials
    /// Forgets cached temporary keys after the service said they are no longer valid; returns
    /// whether fresh ones can be fetched (so the request is worth retrying).
    func invalidate() -> Bool
    /// Where the keys come from, for messages that say what to fix (never a value).
    var origin: String { get }
    /// Sources with equal identities are the same principal and may share cached data.
    var identity: String { get }
}

/// Keys that do not change: from Secrets or from the environment.
struct StaticCredentialSource: AliCredentialSource {
    let keys: AliCredentials
    let origin: String

    func credentials() async throws -> AliCredentials { keys }
    func invalidate() -> Bool { false }
    var identity: String { "keys:" + keys.fingerprint }
}
