/// The part of `metadata` the webhook reads.
public struct ObjectMeta: Codable, Sendable, Hashable {
    public var name: String?
    public var namespace: String?
    public var resourceVersion: String?
    public var labels: [String: String]?

    public init(name: String? = nil, namespace: String? = nil, resourceVersion: String? = nil, labels: [String: String]? = nil) {
        self.name = name
        self.namespace = namespace
        self.resourceVersion = resourceVersion
        self.labels = labels
    }
}

/// The `metadata` of a list, which carries the resourceVersion a watch resumes from.
public struct ListMeta: Codable, Sendable, Hashable {
    public var resourceVersion: String?
}
