import DNS01
import Logging

/// What a provider's tests hand the contract suite: the provider's plugin and config, pointed at
/// its emulator or real server, and the emulator's means of counting calls, injecting faults
/// and seeding foreign values. Optional capabilities that a peer lacks (Knot cannot throttle)
/// are `nil`, and the case that needs one records why it is not applicable.
public struct ProviderContractSubject: Sendable {
    /// The solver name (the provider's config key).
    public var solver: String
    /// The registry holding the plugin (with its test transport, if any).
    public var registry: ProviderRegistry
    /// The provider's block, as the operator would write it (bare).
    public var config: ConfigValue
    /// The same block with credentials the provider refuses.
    public var wrongCredentialsConfig: ConfigValue?
    /// Words the wrong-credentials failure must contain (a field name, "credentials"…).
    public var wrongCredentialsHints: [String]
    public var secrets: any SecretSource
    /// Every secret string of the subject, which must never appear in a message or log line.
    public var secretStrings: [String]
    public var namespace: String
    /// A zone the account holds; the suite writes below it.
    public var zone: DomainName
    /// Reads the TXT values at a name from the peer itself (not through the provider).
    public var independentRead: (@Sendable (DomainName) async throws -> [String])?
    /// Whether the provider can read values back itself (`exec` and `http` without a
    /// nameserver cannot; the suite then reads through `independentRead` only).
    public var readsBackThroughProvider: Bool
    /// The number of API calls the peer has answered so far.
    public var apiCallCount: (@Sendable () async throws -> Int)?
    /// Makes the peer answer the next `count` calls with its real throttling or 5xx error.
    public var injectFaults: (@Sendable (_ count: Int) async throws -> Void)?
    /// Writes a value at a name as someone else would (another tool, another account).
    public var seedForeignValue: (@Sendable (DomainName, String) async throws -> Void)?
    /// The most API calls a warm Present, and a warm CleanUp, may cost.
    public var maximumCallsPerPresent: Int
    public var maximumCallsPerCleanUp: Int
    /// Whether the provider accepts only values shaped like ACME's (43 base64url characters,
    /// as acme-dns checks); the suite then writes such a value in place of each of its labels.
    public var valuesMustBeACMEShaped: Bool
    /// Called with every fresh name before a case uses it, for peers where a name must be set
    /// up first (acme-dns: an account registered for the name's domain).
    public var prepareName: (@Sendable (DomainName) async throws -> Void)?

    public init(
        solver: String,
        registry: ProviderRegistry,
        config: ConfigValue,
        wrongCredentialsConfig: ConfigValue? = nil,
        wrongCredentialsHints: [String] = [],
        secrets: any SecretSource = StaticSecretSource([:]),
        secretStrings: [String] = [],
        namespace: String = "cert-manager",
        zone: DomainName,
        independentRead: (@Sendable (DomainName) async throws -> [String])? = nil,
        readsBackThroughProvider: Bool = true,
        apiCallCount: (@Sendable () async throws -> Int)? = nil,
        injectFaults: (@Sendable (_ count: Int) async throws -> Void)? = nil,
        seedForeignValue: (@Sendable (DomainName, String) async throws -> Void)? = nil,
        maximumCallsPerPresent: Int = 2,
        maximumCallsPerCleanUp: Int = 2,
        valuesMustBeACMEShaped: Bool = false,
        prepareName: (@Sendable (DomainName) async throws -> Void)? = nil
    ) {
        self.solver = solver
        self.registry = registry
        self.config = config
        self.wrongCredentialsConfig = wrongCredentialsConfig
        self.wrongCredentialsHints = wrongCredentialsHints
        self.secrets = secrets
        self.secretStrings = secretStrings
        self.namespace = namespace
        self.zone = zone
        self.independentRead = independentRead
        self.readsBackThroughProvider = readsBackThroughProvider
        self.apiCallCount = apiCallCount
        self.injectFaults = injectFaults
        self.seedForeignValue = seedForeignValue
        self.maximumCallsPerPresent = maximumCallsPerPresent
        self.maximumCallsPerCleanUp = maximumCallsPerCleanUp
        self.valuesMustBeACMEShaped = valuesMustBeACMEShaped
        self.prepareName = prepareName
    }
}
