/// A hosted zone as ListHostedZonesByName reports it; `id` without its `/hostedzone/` prefix.
public struct HostedZone: Sendable, Hashable {
    public var id: String
    /// The zone name with its trailing dot, as Route53 writes it (`example.com.`).
    public var name: String
    public var isPrivate: Bool

    public init(id: String, name: String, isPrivate: Bool) {
        self.id = id
        self.name = name
        self.isPrivate = isPrivate
    }
}

/// One page of ListHostedZonesByName.
public struct HostedZonePage: Sendable, Hashable {
    public var zones: [HostedZone]
    public var isTruncated: Bool
    public var nextDNSName: String?
    public var nextHostedZoneID: String?
}

/// A resource record set as ListResourceRecordSets reports it.
public struct ResourceRecordSet: Sendable, Hashable {
    public var name: String
    public var type: String
    public var setIdentifier: String?
    public var ttl: Int?
    /// The `Value`s as Route53 stores them (TXT values quoted).
    public var values: [String]
}

/// One page of ListResourceRecordSets.
public struct RecordSetPage: Sendable, Hashable {
    public var recordSets: [ResourceRecordSet]
    public var isTruncated: Bool
    public var nextRecordName: String?
    public var nextRecordType: String?
    public var nextRecordIdentifier: String?
}

/// A submitted change and whether Route53 has applied it on every server; `id` without `/change/`.
public struct ChangeInfo: Sendable, Hashable {
    public var id: String
    public var isInSync: Bool
}

extension String {
    /// `Z123` from `/hostedzone/Z123`, `C123` from `/change/C123`.
    func strippingAWSPrefix(_ prefix: String) -> String {
        hasPrefix(prefix) ? String(dropFirst(prefix.count)) : self
    }
}
