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
