import Logging
import Synchronization

/// Turns a challenge and a solver name into a provider call. The server and the CLI both end
/// here, so a challenge behaves the same whichever way it arrived.
///
/// Solver names (docs/install.md, "Config"):
/// - `dispatch` takes the Issuer's config as one wrapped provider or a routing table; with no
///   config it uses the operator's default table;
/// - every plugin name (`route53`, `alidns`, …) takes that plugin's block bare or wrapped; with
///   no config it uses the default table's entries for that plugin, or an empty block.
public struct ChallengeDispatcher: Sendable {
    public static let dispatchSolverName = "dispatch"

    public let registry: ProviderRegistry
    public let defaultTable: RoutingTable?
    /// The operator's `issuerPolicy`, applied to every Issuer config.
    public let issuerPolicy: IssuerPolicy
    private let defaultTablesByPlugin: [String: RoutingTable]
    private let secrets: any SecretSource
    let logger: Logger
    private let environment: [String: String]
    private let serviceAccountTokens: (any ServiceAccountTokenSource)?
    private let providerState: (any ProviderStateStore)?
    private let issuerTables = IssuerTableCache()
    /// Serializes read-modify-write providers' steps per record name across processes
    /// (`ChallengeDispatcher+NameLock.swift`); `nil`: within this process only.
    public let nameLocking: NameLocking?

    /// Validates `defaultConfig` (the operator's `--config`) now, so a bad config stops start-up
    /// instead of failing the first challenge. `nil`, `null` and `{}` mean no default table;
    /// its `issuerPolicy` block, if any, is the policy for Issuer configs.
    public init(
        registry: ProviderRegistry,
        defaultConfig: ConfigValue?,
        secrets: any SecretSource,
        logger: Logger,
        environment: [String: String],
        serviceAccountTokens: (any ServiceAccountTokenSource)? = nil,
        nameLocking: NameLocking? = nil,
        providerState: (any ProviderStateStore)? = nil
    ) throws(DNS01Error) {
        self.registry = registry
        self.nameLocking = nameLocking
        self.serviceAccountTokens = serviceAccountTokens
        self.providerState = providerState
        self.secrets = secrets
        self.logger = logger
        self.environment = environment
        let (policy, defaultConfig) = try IssuerPolicy.operatorPolicy(in: defaultConfig ?? .null)
        self.issuerPolicy = policy
        // `{}` means "no default table": every Issuer brings its own config.
        if defaultConfig != .null, defaultConfig != .object([:]) {
            let table = try RoutingTable.decode(defaultConfig, registry: registry, source: .operatorConfig)
            self.defaultTable = table
            var byPlugin: [String: RoutingTable] = [:]
            for name in registry.pluginNames {
                byPlugin[name] = table.restricted(to: name)
            }
            self.defaultTablesByPlugin = byPlugin
        } else {
            self.defaultTable = nil
            self.defaultTablesByPlugin = [:]
        }
    }

    /// Runs every plugin's start-up check on the operator's default table (tools a provider
    /// needs in the image…), so a pod that cannot serve its own config says why at once.
    public func startupChecks() async throws {
        for binding in defaultTable?.bindings ?? [] {
            try await binding.startupCheck(logger: logger)
        }
    }

    /// Every solver name served: `dispatch` and each plugin.
    public var solverNames: [String] { [Self.dispatchSolverName] + registry.pluginNames }

    public func serves(_ solver: String) -> Bool {
        solver == Self.dispatchSolverName || registry.contains(solver)
    }

    /// Chooses the provider entry for `challenge` under `solver`.
    public func route(_ challenge: Challenge, solver: String) throws(DNS01Error) -> Route {
        guard serves(solver) else {
            throw DNS01Error(.unknownSolver, "solver \"\(solver)\" is not served; served solvers: \(solverNames.joined(separator: ", "))")
        }
        return try table(for: challenge.config, solver: solver).route(for: challenge.dnsName)
    }

    /// Builds the provider for `challenge`: routes it, then lets the plugin resolve credentials.
    public func provider(for challenge: Challenge, solver: String) async throws -> (provider: any DNSProvider, route: Route) {
        try challenge.validate()
        let route = try route(challenge, solver: solver)
        ProviderCallScope.current?.provider = route.binding.pluginName
        let context = ProviderContext(
            namespace: challenge.resourceNamespace,
            secrets: secrets,
            allowAmbientCredentials: challenge.allowAmbientCredentials,
            origin: route.origin,
            logger: logger,
            environment: environment,
            serviceAccountTokens: serviceAccountTokens,
            providerState: providerState
        )
        return (try await route.binding.makeProvider(context: context), route)
    }

    /// Runs the challenge's action and returns the route it took.
    @discardableResult
    public func perform(_ challenge: Challenge, solver: String) async throws -> Route {
        let (provider, route) = try await provider(for: challenge, solver: solver)
        try await underNameLockIfNeeded(challenge, provider: provider, route: route) {
            switch challenge.action {
            case .present: try await provider.present(challenge)
            case .cleanUp: try await provider.cleanUp(challenge)
            }
        }
        return route
    }

    /// The table for an Issuer's config. Every challenge of an Issuer carries the same config,
    /// so decoded tables are kept (decoding validates every field and consults the policy;
    /// looking one up costs a hash of the config). Failures are not kept.
    private func table(for config: ConfigValue?, solver: String) throws(DNS01Error) -> RoutingTable {
        guard let config, config != .null else { return try decodeTable(for: config, solver: solver) }
        let key = IssuerTableCache.Key(solver: solver, config: config)
        if let table = issuerTables[key] { return table }
        let table = try decodeTable(for: config, solver: solver)
        issuerTables[key] = table
        return table
    }

    private func decodeTable(for config: ConfigValue?, solver: String) throws(DNS01Error) -> RoutingTable {
        if solver == Self.dispatchSolverName {
            if let config, config != .null, config != .object([:]) {
                return try RoutingTable.decode(config, registry: registry, source: .issuerConfig(policy: issuerPolicy))
            }
            guard let defaultTable else {
                throw DNS01Error(.invalidConfiguration, "solver \"dispatch\" got no config and the server has no default config (--config)")
            }
            return defaultTable
        }
        if let config, config != .null {
            // A plugin solver accepts its block bare or wrapped in its own name.
            let (block, path) = try RoutingTable.providerBlock(config, forSolver: solver, registry: registry)
            let binding = try registry.bind(solver, block: block, at: path, source: .issuerConfig(policy: issuerPolicy))
            return try RoutingTable.single(binding, origin: .issuerConfig)
        }
        if let table = defaultTablesByPlugin[solver] { return table }
        let binding = try registry.bind(solver, block: .object([:]), at: .root, source: .operatorConfig)
        return try RoutingTable.single(binding, origin: .operatorConfig)
    }
}

/// Decoded routing tables by solver and Issuer config, bounded: past `capacity` distinct
/// configs it starts again (a cluster has a handful of Issuers; a flood of distinct configs
/// must not grow memory).
private final class IssuerTableCache: Sendable {
    struct Key: Hashable, Sendable {
        var solver: String
        var config: ConfigValue
    }

    static let capacity = 256
    private let tables = Mutex<[Key: RoutingTable]>([:])

    subscript(key: Key) -> RoutingTable? {
        get { tables.withLock { $0[key] } }
        set {
            tables.withLock { tables in
                if tables.count >= Self.capacity { tables.removeAll(keepingCapacity: true) }
                tables[key] = newValue
            }
        }
    }
}
