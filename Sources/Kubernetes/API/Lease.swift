/// `coordination.k8s.io/v1 Lease`: a named claim with a holder and an expiry, updated under
/// optimistic concurrency (`metadata.resourceVersion`).
public struct Lease: Codable, Sendable, Hashable {
    public static let apiVersion = "coordination.k8s.io/v1"

    public struct Spec: Codable, Sendable, Hashable {
        public var holderIdentity: String?
        public var leaseDurationSeconds: Int?
        /// MicroTime (RFC 3339 with microseconds).
        public var acquireTime: String?
        /// MicroTime (RFC 3339 with microseconds).
        public var renewTime: String?
        public var leaseTransitions: Int?

        public init(holderIdentity: String?, leaseDurationSeconds: Int?, acquireTime: String?, renewTime: String?, leaseTransitions: Int? = nil) {
            self.holderIdentity = holderIdentity
            self.leaseDurationSeconds = leaseDurationSeconds
            self.acquireTime = acquireTime
            self.renewTime = renewTime
            self.leaseTransitions = leaseTransitions
        }
    }

    public var apiVersion: String = Lease.apiVersion
    public var kind: String = "Lease"
    public var metadata: ObjectMeta
    public var spec: Spec

    public init(metadata: ObjectMeta, spec: Spec) {
        self.metadata = metadata
        self.spec = spec
    }

    /// The collection path in `namespace`.
    public static func path(namespace: String) -> String {
        "/apis/coordination.k8s.io/v1/namespaces/\(namespace)/leases"
    }

    /// The item path of `name` in `namespace`.
    public static func path(namespace: String, name: String) -> String {
        "\(path(namespace: namespace))/\(name)"
    }
}

/// A `LeaseList` (the items only).
public struct LeaseList: Decodable, Sendable {
    public var items: [Lease]
}
