/// `v1 ConfigMap`.
public struct ConfigMap: Codable, Sendable, Hashable {
    public var metadata: ObjectMeta
    public var data: [String: String]?

    public init(metadata: ObjectMeta, data: [String: String]?) {
        self.metadata = metadata
        self.data = data
    }
}

/// `v1 ConfigMapList`.
public struct ConfigMapList: Decodable, Sendable {
    public var metadata: ListMeta
    public var items: [ConfigMap]
}

/// One line of a watch stream: `{"type": "ADDED", "object": {…}}`.
public struct WatchEvent<Object: Decodable & Sendable>: Decodable, Sendable {
    public enum EventType: String, Decodable, Sendable {
        case added = "ADDED"
        case modified = "MODIFIED"
        case deleted = "DELETED"
        case bookmark = "BOOKMARK"
        case error = "ERROR"
    }

    public var type: EventType
    public var object: Object
}
