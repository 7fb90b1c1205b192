/// The account a cached value belongs to: the API endpoint and the identity of the credentials
/// (an access key ID, a role, a token's fingerprint — never a secret). Every per-account cache
/// (zone lists, temporary credentials, change batches) is keyed by one, so challenges that use
/// different credentials never see each other's state, even on the same endpoint.
public struct AccountKey: Hashable, Sendable, CustomStringConvertible {
    public let endpoint: String
    public let identity: String

    public init(endpoint: String, identity: String) {
        self.endpoint = endpoint
        self.identity = identity
    }

    public var description: String { "\(identity) at \(endpoint)" }
}

/// A cache key for something inside one account (a zone's change queue, a record set).
public struct AccountScopedKey<Scope: Hashable & Sendable>: Hashable, Sendable {
    public let account: AccountKey
    public let scope: Scope

    public init(_ account: AccountKey, _ scope: Scope) {
        self.account = account
        self.scope = scope
    }
}
