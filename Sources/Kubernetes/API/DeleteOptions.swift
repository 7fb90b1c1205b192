/// `meta/v1 DeleteOptions` with a `resourceVersion` precondition: the delete is refused (409)
/// when the object changed since it was read.
public struct DeleteOptions: Encodable, Sendable {
    public struct Preconditions: Encodable, Sendable {
        public var resourceVersion: String?
    }

    public var apiVersion = "v1"
    public var kind = "DeleteOptions"
    public var preconditions: Preconditions?

    public init(resourceVersion: String?) {
        self.preconditions = resourceVersion.map { Preconditions(resourceVersion: $0) }
    }
}
