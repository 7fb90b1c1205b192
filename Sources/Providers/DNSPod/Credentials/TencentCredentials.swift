import Crypto
import DNS01
import ProviderKit

/// A Tencent Cloud API key (SecretId and SecretKey), with the session token that temporary keys
/// (STS, TKE web identity) need.
public struct TencentCredentials: Sendable, Hashable {
    public let secretId: String
    public let secretKey: SecretValue
    public let sessionToken: SecretValue?
    /// Derived signing keys of these keys, shared by the signers made from them (a cache: not
    /// part of the value).
    private let keyMemo = TC3KeyMemo()

    public init(secretId: String, secretKey: SecretValue, sessionToken: SecretValue? = nil) {
        self.secretId = secretId
        self.secretKey = secretKey
        self.sessionToken = sessionToken
    }

    public static func == (lhs: TencentCredentials, rhs: TencentCredentials) -> Bool {
        lhs.secretId == rhs.secretId && lhs.secretKey == rhs.secretKey && lhs.sessionToken == rhs.sessionToken
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(secretId)
        hasher.combine(secretKey)
        hasher.combine(sessionToken)
    }

    /// The signer for one product (`dnspod`, `sts`).
    func signer(service: String) -> TC3Signer {
        TC3Signer(secretId: secretId, secretKey: Array(secretKey.text.utf8), sessionToken: sessionToken?.text, service: service, memo: keyMemo)
    }

    /// A digest of the whole triple, so caches keyed by it are never shared between different
    /// keys, nor between the right and a wrong SecretKey for one SecretId.
    var fingerprint: String {
        var hasher = SHA256()
        for part in [Array(secretId.utf8), Array(secretKey.text.utf8), Array((sessionToken?.text ?? "").utf8)] {
            hasher.update(data: Array(String(part.count).utf8) + [0])
            hasher.update(data: part)
        }
        return Array(hasher.finalize()).hexString
    }
}

/// Where one challenge's Tencent Cloud keys come from.
protocol TencentCredentialSource: Sendable {
    /// The keys to sign the next request with.
    func credentials() async throws -> TencentCredentials
    /// Forgets cached temporary keys after the service refused them; returns whether fresh ones
    /// can be fetched (so the request is worth retrying).
    func invalidate() -> Bool
    /// Where the keys come from, for messages that say what to fix (never a value).
    var origin: String { get }
    /// Sources with equal identities are the same principal and may share cached data.
    var identity: String { get }
}

/// Keys that do not change: from Secrets or from the environment.
struct StaticTencentCredentialSource: TencentCredentialSource {
    let keys: TencentCredentials
    let origin: String

    func credentials() async throws -> TencentCredentials { keys }
    func invalidate() -> Bool { false }
    var identity: String { "keys:" + keys.fingerprint }
}
