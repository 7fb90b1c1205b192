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

/// One `Change` of a ChangeResourceRecordSets batch: cert-manager's multivalue TXT scheme,
/// one record set per value, `SetIdentifier` = the quoted value, TTL 10.
public struct TXTChange: Sendable, Hashable {
    public enum Action: String, Sendable, Hashable {
        case upsert = "UPSERT"
        case delete = "DELETE"
    }

    public var action: Action
    /// The record name with its trailing dot.
    public var name: String
    /// The record value as Route53 stores it (quoted character-strings).
    public var quotedValue: String
    public var setIdentifier: String
    public var ttl: Int

    public init(action: Action, name: String, quotedValue: String, setIdentifier: String, ttl: Int = 10) {
        self.action = action
        self.name = name
        self.quotedValue = quotedValue
        self.setIdentifier = setIdentifier
        self.ttl = ttl
    }

    /// The record set this change touches: Route53 refuses two changes of one set in a batch.
    public var recordSetKey: String { "\(name.lowercased())|TXT|\(setIdentifier)" }

    /// What the change counts against Route53's per-request limits: `ResourceRecord` elements
    /// and characters of `Value`, both doubled for UPSERT.
    public var recordCount: Int { action == .upsert ? 2 : 1 }
    public var valueCharacters: Int { quotedValue.count * (action == .upsert ? 2 : 1) }
}

extension String {
    /// `Z123` from `/hostedzone/Z123`, `C123` from `/change/C123`.
    func strippingAWSPrefix(_ prefix: String) -> String {
        hasPrefix(prefix) ? String(dropFirst(prefix.count)) : self
    }
}
