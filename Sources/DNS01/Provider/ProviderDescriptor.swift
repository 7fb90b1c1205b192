/// Everything a provider says about itself, once: its name, what it is, its config fields, how
/// it authenticates, which hosts an Issuer may point it at, and what its API can and cannot do.
/// The docs page (`docs/providers/<name>.md`), the config JSON Schema and `check`'s
/// not-applicable steps are generated from it, so they cannot drift from the code.
public struct ProviderDescriptor: Sendable {
    /// The config key and solver name (`route53`).
    public var name: String
    /// Other config keys accepted for the same block (`clouddns` for `cloudDNS`).
    public var aliases: [String]
    /// The product as its vendor names it (`AWS Route53`).
    public var title: String
    /// One line: what the provider does.
    public var summary: String
    /// The provider's API reference.
    public var apiDocumentation: String
    /// The block's fields, in the order a user reads them.
    public var fields: [ConfigField]
    /// Field groups of which at least one must be set (`[["apiTokenSecretRef", "apiKeySecretRef"]]`).
    public var requiresOneOf: [[String]]
    /// How the provider gets credentials, in the order it tries them.
    public var authModes: [AuthMode]
    /// What it does when the challenge allows ambient credentials; `nil`: it has none.
    public var ambientCredentials: String?
    /// The hosts an Issuer's config may name without the operator's `issuerPolicy`.
    public var officialHosts: OfficialHosts
    /// How its API stores several values at one name.
    public var recordModel: RecordModel
    /// What its API cannot do; `check` reports the steps that need it as not applicable.
    public var limitations: Set<Limitation>
    /// A config block (YAML, bare: what goes under the provider's key), tested to decode.
    public var example: String
    /// Markdown: how to move here from the solver users run today.
    public var migration: String?
    /// Markdown: anything else a user should know (permissions, quirks).
    public var notes: String?

    public init(
        name: String,
        aliases: [String] = [],
        title: String,
        summary: String,
        apiDocumentation: String,
        fields: [ConfigField],
        requiresOneOf: [[String]] = [],
        authModes: [AuthMode] = [],
        ambientCredentials: String? = nil,
        officialHosts: OfficialHosts,
        recordModel: RecordModel,
        limitations: Set<Limitation> = [],
        example: String,
        migration: String? = nil,
        notes: String? = nil
    ) {
        self.name = name
        self.aliases = aliases
        self.title = title
        self.summary = summary
        self.apiDocumentation = apiDocumentation
        self.fields = fields
        self.requiresOneOf = requiresOneOf
        self.authModes = authModes
        self.ambientCredentials = ambientCredentials
        self.officialHosts = officialHosts
        self.recordModel = recordModel
        self.limitations = limitations
        self.example = example
        self.migration = migration
        self.notes = notes
    }

    /// The names the block is accepted under: `name` and its aliases.
    public var keys: [String] { [name] + aliases }
}

/// One field of a provider's config block.
public struct ConfigField: Sendable {
    public var name: String
    public var type: ConfigFieldType
    public var required: Bool
    /// The default as a user would write it (`"10"`, `"us-east-1"`), shown in docs and the schema.
    public var defaultValue: String?
    /// What it means, one or two sentences.
    public var meaning: String
    /// Whether only the operator's config may set it (an Issuer setting it is refused unless
    /// the operator's `issuerPolicy` allows the value).
    public var issuerRestricted: Bool

    public init(
        _ name: String, _ type: ConfigFieldType, required: Bool = false, default defaultValue: String? = nil,
        issuerRestricted: Bool = false, _ meaning: String
    ) {
        self.name = name
        self.type = type
        self.required = required
        self.defaultValue = defaultValue
        self.issuerRestricted = issuerRestricted
        self.meaning = meaning
    }
}

/// The shape of a config value, as the docs and the JSON Schema describe it.
public indirect enum ConfigFieldType: Sendable {
    case string
    /// One of these strings.
    case oneOf([String])
    case bool
    case integer(ClosedRange<Int>)
    /// Seconds (`30`) or a Go-style duration (`30s`, `2m`, `1500ms`).
    case duration
    /// An http(s) URL.
    case url
    case stringList
    /// String keys to string values.
    case stringMap
    /// `{name, key}` of a Secret in the challenge's namespace.
    case secretReference
    /// A nested object with its own fields.
    case object([ConfigField])
    /// String keys to values of one type.
    case map(ConfigFieldType)
    /// Either of two shapes (a literal or a `{secretKeyRef}`).
    case either(ConfigFieldType, ConfigFieldType)

    /// How the docs name the type.
    public var displayName: String {
        switch self {
        case .string: "string"
        case .oneOf(let values): values.map { "`\($0)`" }.joined(separator: " \\| ")
        case .bool: "boolean"
        case .integer(let range): "integer \(range.lowerBound)–\(range.upperBound)"
        case .duration: "duration"
        case .url: "URL"
        case .stringList: "list of strings"
        case .stringMap: "map of strings"
        case .secretReference: "Secret reference"
        case .object: "object"
        case .map(let value): "map of \(value.displayName)"
        case .either(let a, let b): "\(a.displayName) or \(b.displayName)"
        }
    }
}

/// One way a provider gets credentials.
public struct AuthMode: Sendable {
    public var name: String
    /// What the user configures and what happens.
    public var description: String
    /// Whether it needs the challenge to allow ambient credentials (ClusterIssuers, or the CLI's
    /// `--allow-ambient-credentials`).
    public var ambient: Bool

    public init(_ name: String, ambient: Bool = false, _ description: String) {
        self.name = name
        self.ambient = ambient
        self.description = description
    }
}

/// How a provider's API keeps several TXT values at one name, which decides whether concurrent
/// writers (two replicas, the apex and the wildcard challenge) can lose a value.
public enum RecordModel: String, Sendable, CaseIterable {
    /// One record per value, created and deleted by id: writers never touch each other's value.
    case recordPerValue
    /// The API adds or removes one value server-side (DNS UPDATE, Hetzner's actions).
    case serverSideValueChange
    /// The whole value set is rewritten, guarded by a precondition (ETag, change sets).
    case preconditionedSet
    /// The whole value set is rewritten with no precondition: a read-modify-write that the
    /// webhook must serialize per name. The dispatcher takes the record-name lock (a Lease in
    /// `serve`, a file lock in the CLI) around each Present and CleanUp of such a provider.
    case readModifyWriteSet
    /// The provider hands the step to something else (a program, a hook) and cannot tell.
    case delegated
    /// The server keeps a fixed number of the newest values and each write replaces the oldest;
    /// nothing is ever removed (acme-dns keeps two). Its `limitations` say what follows.
    case newestValuesKept

    /// How the docs say it.
    public var explanation: String {
        switch self {
        case .recordPerValue: "one DNS record per TXT value, created and deleted by id: concurrent challenges on one name never touch each other's value"
        case .serverSideValueChange: "values are added and removed one at a time by the server: concurrent challenges on one name are safe"
        case .preconditionedSet: "the TXT set is rewritten under a precondition, so a concurrent writer makes the write fail and it is re-read and retried instead of losing a value"
        case .readModifyWriteSet: "the API can only rewrite the whole TXT set with no precondition: writes to one name are serialized, across replicas by a Kubernetes Lease per name (a file lock for the CLI), and checked by reading back"
        case .delegated: "the step is handed to your program or hook, which must keep the contract (add one value, remove only its own)"
        case .newestValuesKept: "the server keeps only the newest values (each write replaces the oldest) and never removes one: an apex and a wildcard challenge coexist, a third value at the same time evicts the oldest"
        }
    }
}

/// Something a provider's API cannot do, so a `check` step needing it is not applicable.
public enum Limitation: String, Sendable, Hashable, CaseIterable {
    /// There is no API to read TXT values back (acme-dns, exec/http without a nameserver).
    case cannotReadBack
    /// The API never removes a value (acme-dns keeps the two most recent).
    case cannotRemoveValues
    /// The API keeps at most two values per name.
    case keepsTwoValuesOnly

    /// Why, as `check` prints it.
    public var reason: String {
        switch self {
        case .cannotReadBack: "the provider has no API to read TXT values back; use --nameserver to check through DNS"
        case .cannotRemoveValues: "the provider's API cannot delete a value; CleanUp succeeds and changes nothing"
        case .keepsTwoValuesOnly: "the provider keeps only the two most recent values per name"
        }
    }
}
