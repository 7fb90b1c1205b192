import Crypto
import DNS01
import ProviderKit

/// The identity one challenge acts as, resolved from the block, its Secret and (with ambient
/// credentials) the environment. Its `cacheKey` names it without a secret, so tokens, zone
/// lists and record-set writers are never shared between identities.
enum AzureIdentity: Sendable {
    /// A service principal's client secret (client credentials grant).
    case clientSecret(tenantID: String, clientID: String, secret: SecretValue, authority: BaseURL, field: ConfigPath, secretName: String)
    /// Workload identity: the service-account token in `tokenFile` (read again for every token
    /// fetch, as the kubelet rotates it) is the client assertion.
    case workloadIdentity(tenantID: String, clientID: String, tokenFile: String, authority: BaseURL)
    /// A managed identity from the instance metadata service; `nil` selectors take the only one.
    case managedIdentity(endpoint: BaseURL, clientID: String?, resourceID: String?)

    /// The token cache key: where tokens come from and for whom (a client secret by a digest).
    var cacheKey: AccountKey {
        switch self {
        case .clientSecret(let tenant, let client, let secret, let authority, _, _):
            var hasher = SHA256()
            hasher.update(data: secret.bytes)
            let digest = Array(Array(hasher.finalize()).prefix(16)).hexString
            return AccountKey(endpoint: authority.description, identity: "secret|\(tenant.lowercased())|\(client.lowercased())|\(digest)")
        case .workloadIdentity(let tenant, let client, let file, let authority):
            return AccountKey(endpoint: authority.description, identity: "workload|\(tenant.lowercased())|\(client.lowercased())|\(file)")
        case .managedIdentity(let endpoint, let client, let resource):
            return AccountKey(endpoint: endpoint.description, identity: "msi|\(client?.lowercased() ?? "")|\(resource?.lowercased() ?? "")")
        }
    }

    /// What messages call it: which identity, never a secret.
    var described: String {
        switch self {
        case .clientSecret(let tenant, let client, _, _, let field, let secretName):
            "the client secret of application \(client) in tenant \(tenant) (\(field): secret \(secretName))"
        case .workloadIdentity(let tenant, let client, let file, _):
            "workload identity (application \(client) in tenant \(tenant), service account token \(file))"
        case .managedIdentity(_, let client?, _):
            "the managed identity with client ID \(client)"
        case .managedIdentity(_, _, let resource?):
            "the managed identity \(resource)"
        case .managedIdentity:
            "the node's managed identity"
        }
    }

    /// The secrets it holds, to redact from anything a server says back.
    var secrets: [SecretValue] {
        if case .clientSecret(_, _, let secret, _, _, _) = self { return [secret] }
        return []
    }
}

/// An access token for Resource Manager and how long it is valid from when it was fetched.
struct AzureAccessToken: Sendable {
    var token: SecretValue
    var expiresIn: Int64
}
