import Crypto
import DNS01
import ProviderKit

/// A Huawei Cloud access key (AK and SK), with the security token that temporary keys need.
public struct HuaweiCredentials: Sendable, Hashable {
    public var accessKey: String
    public var secretKey: SecretValue
    public var securityToken: SecretValue?

    public init(accessKey: String, secretKey: SecretValue, securityToken: SecretValue? = nil) {
        self.accessKey = accessKey
        self.secretKey = secretKey
        self.securityToken = securityToken
    }

    var signer: SDKHMACSigner {
        SDKHMACSigner(accessKey: accessKey, secretKey: secretKey.text, securityToken: securityToken?.text)
    }

    /// A digest of the whole triple, so caches keyed by it are never shared between different
    /// keys, nor between the right and a wrong SK for one AK.
    var fingerprint: String {
        var hasher = SHA256()
        for part in [Array(accessKey.utf8), Array(secretKey.text.utf8), Array((securityToken?.text ?? "").utf8)] {
            hasher.update(data: Array(String(part.count).utf8) + [0])
            hasher.update(data: part)
        }
        return Array(hasher.finalize()).hexString
    }
}

/// One challenge's keys and where they came from (for messages; never a value).
struct HuaweiCredentialSource: Sendable {
    let keys: HuaweiCredentials
    let origin: String
    /// The project the keys' environment names (`HUAWEICLOUD_SDK_PROJECT_ID`), used when the
    /// config names none.
    let projectId: String?
    /// The keys' signer, keyed once for every request of the challenge.
    let signer: SDKHMACSigner

    init(keys: HuaweiCredentials, origin: String, projectId: String? = nil) {
        self.keys = keys
        self.origin = origin
        self.projectId = projectId
        self.signer = keys.signer
    }

    /// Sources with equal identities are the same principal and may share cached data.
    var identity: String { "keys:" + keys.fingerprint }
}
