/// A `{name, key}` pointer to one value of a Kubernetes Secret. The namespace is never part of
/// the reference: it is always the challenge's `resourceNamespace`, so an Issuer in one
/// namespace cannot read another namespace's Secrets.
public struct SecretReference: Sendable, Hashable, CustomStringConvertible {
    public var name: String
    public var key: String

    public init(name: String, key: String) {
        self.name = name
        self.key = key
    }

    public var description: String { "\(name)[\(key)]" }
}
