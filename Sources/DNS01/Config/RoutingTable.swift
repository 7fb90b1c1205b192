/// A decoded config document: which provider serves which domains.
///
/// Accepted shapes (docs/install.md, "Config"):
/// - one provider, `{route53: {...}}`: serves every domain;
/// - a routing table, `{providers: [{selector: {dnsNames, dnsZones}, <plugin>: {...}}, ...]}`.
///
/// `dnsNames` and `dnsZones` of one entry are alternatives: the entry serves a domain listed in
/// either. (cert-manager's solver selectors require both to match when both are given; for a
/// routing table that reads as a trap rather than a feature.)
public struct RoutingTable: Sendable {
    public typealias Selector = ProviderSelector<ProviderBinding>

    public let selector: Selector
    public let origin: ConfigOrigin

    public init(selector: Selector, origin: ConfigOrigin) {
        self.selector = selector
        self.origin = origin
    }

    /// The bindings in document order.
    public var bindings: [ProviderBinding] { selector.rules.map(\.value) }

    /// Decodes a document in either shape, validating every provider block. `source` says who
    /// wrote it (and, for an Issuer, the operator's `issuerPolicy`). An operator's document may
    /// carry that `issuerPolicy` block (the dispatcher reads it, see
    /// `IssuerPolicy.operatorPolicy(in:)`); an Issuer's may not.
    public static func decode(
        _ document: ConfigValue,
        registry: ProviderRegistry,
        source: ConfigSource,
        at path: ConfigPath = .root
    ) throws(DNS01Error) -> RoutingTable {
        let origin = source.origin
        guard case .object(var fields) = document else {
            throw DNS01Error.invalidConfiguration(at: path, "must be an object naming a provider (\(registry.pluginNames.joined(separator: ", "))) or a providers list, got \(document.kindName)")
        }
        if fields.removeValue(forKey: IssuerPolicy.key) != nil, origin == .issuerConfig {
            throw DNS01Error(.forbiddenByPolicy, "\(path.appending(IssuerPolicy.key)) is read from the operator's own config (serve --config) only, never from an Issuer")
        }
        let document = ConfigValue.object(fields)
        if fields["providers"] != nil {
            var reader = try ConfigReader(document, at: path)
            let list = try reader.value("providers")
            try reader.finish()
            guard case .array(let items) = list else {
                throw DNS01Error.invalidConfiguration(at: path.appending("providers"), "must be a list, got \(list.kindName)")
            }
            guard !items.isEmpty else {
                throw DNS01Error.invalidConfiguration(at: path.appending("providers"), "must list at least one provider")
            }
            var rules: [Selector.Rule] = []
            for (index, item) in items.enumerated() {
                rules.append(try decodeEntry(item, registry: registry, source: source, at: path.appending("providers").appending(index: index)))
            }
            return RoutingTable(selector: try Selector(rules: rules), origin: origin)
        }
        let binding = try decodeSingleProvider(fields, registry: registry, source: source, at: path)
        return try single(binding, origin: origin)
    }

    /// The three shapes a config document can have.
    public enum Shape: Sendable, Equatable {
        /// A provider's block as it is (what cert-manager's `route53` block is).
        case bare
        /// `{<provider key>: {...}}`: one provider, wrapped in its key (or an alias).
        case wrapped(key: String)
        /// `{providers: [...]}`.
        case table
    }

    /// The shape of `document`: the one bare-or-wrapped rule, used by the dispatcher for an
    /// Issuer's config and by the CLI and the server for the operator's. A document is wrapped
    /// when its only field (besides `issuerPolicy`) is a provider key holding an object.
    public static func shape(of document: ConfigValue, registry: ProviderRegistry) -> Shape {
        guard case .object(var fields) = document else { return .bare }
        fields[IssuerPolicy.key] = nil
        if fields["providers"] != nil { return .table }
        if fields.count == 1, let (key, value) = fields.first, registry.contains(key) {
            switch value {
            case .object, .null: return .wrapped(key: key)
            default: break
            }
        }
        return .bare
    }

    /// An operator's document as the given solver reads it: for a provider solver, a bare block
    /// (exactly what an Issuer would give that solver) is wrapped in the provider's name; a
    /// wrapped block, a routing table, and anything for `dispatch` are returned unchanged.
    public static func document(_ document: ConfigValue, forSolver solver: String, registry: ProviderRegistry) -> ConfigValue {
        guard registry.contains(solver), shape(of: document, registry: registry) == .bare else { return document }
        guard case .object(var fields) = document else { return .object([solver: document]) }
        // The operator's policy stays at the top, beside the block it now wraps.
        let policy = fields.removeValue(forKey: IssuerPolicy.key)
        var wrapped: [String: ConfigValue] = [solver: .object(fields)]
        wrapped[IssuerPolicy.key] = policy
        return .object(wrapped)
    }

    /// The block a provider solver decodes from an Issuer's config: the config itself when
    /// bare, its inside when wrapped in the solver's own key (or an alias of it).
    public static func providerBlock(
        _ config: ConfigValue, forSolver solver: String, registry: ProviderRegistry
    ) throws(DNS01Error) -> (block: ConfigValue, path: ConfigPath) {
        switch shape(of: config, registry: registry) {
        case .bare:
            return (config, .root)
        case .wrapped(let key):
            guard registry.descriptor(for: key)?.name == registry.descriptor(for: solver)?.name, let inner = config[key] else {
                throw DNS01Error.invalidConfiguration(
                    at: .root,
                    "is a \(key) block, but the solver is \(solver): set solverName to \(registry.descriptor(for: key)?.name ?? key) (or dispatch), or give the \(solver) block"
                )
            }
            return (inner, ConfigPath.root.appending(key))
        case .table:
            throw DNS01Error.invalidConfiguration(
                at: ConfigPath.root.appending("providers"),
                "is a routing table, which only the dispatch solver reads: set solverName to dispatch, or give the \(solver) block alone"
            )
        }
    }

    /// A table with one entry that serves every domain.
    public static func single(_ binding: ProviderBinding, origin: ConfigOrigin) throws(DNS01Error) -> RoutingTable {
        RoutingTable(selector: try Selector(rules: [.init(label: binding.path.isRoot ? binding.pluginName : binding.path.description, value: binding)]), origin: origin)
    }

    /// The entries that use `pluginName`, as a table of their own (same selectors).
    public func restricted(to pluginName: String) -> RoutingTable? {
        let rules = selector.rules.filter { $0.value.pluginName == pluginName }
        guard !rules.isEmpty, let subset = try? Selector(rules: rules) else { return nil }
        return RoutingTable(selector: subset, origin: origin)
    }

    /// The binding that serves `domain`.
    public func route(for domain: DomainName) throws(DNS01Error) -> Route {
        guard let match = selector.select(domain) else {
            throw DNS01Error(.noProviderMatches, "no provider matches \(domain.name): no entry lists it in dnsNames or a zone of it in dnsZones, and there is no fallback entry")
        }
        return Route(binding: match.value, reason: match.reason, origin: origin)
    }

    private static func decodeSingleProvider(
        _ fields: [String: ConfigValue], registry: ProviderRegistry, source: ConfigSource, at path: ConfigPath
    ) throws(DNS01Error) -> ProviderBinding {
        let named = fields.keys.filter { registry.contains($0) }.sorted()
        let unknown = fields.keys.filter { !registry.contains($0) && $0 != "selector" }.sorted()
        if let stray = unknown.first {
            if named.isEmpty, let hint = bareBlockHint(Set(fields.keys).subtracting(["selector"]), registry: registry, at: path) {
                throw DNS01Error.invalidConfiguration(at: path, "has the field \"\(stray)\" where a provider's name was expected: \(hint)")
            }
            var message = "has an unknown field \"\(stray)\"; expected a provider (\(registry.pluginNames.joined(separator: ", "))) or providers"
            if let suggestion = ConfigReader.closest(to: stray, among: Set(registry.pluginNames + ["providers"])) {
                message += " (did you mean \"\(suggestion)\"?)"
            }
            throw DNS01Error.invalidConfiguration(at: path, message)
        }
        guard named.count == 1, let name = named.first, let block = fields[name] else {
            if named.isEmpty {
                throw DNS01Error.invalidConfiguration(at: path, "must name one provider (\(registry.pluginNames.joined(separator: ", ")))")
            }
            throw DNS01Error.invalidConfiguration(at: path, "names more than one provider (\(named.joined(separator: ", "))); use a providers list with selectors to route between them")
        }
        return try registry.bind(name, block: block, at: path.appending(name), source: source)
    }

    /// What to do with a provider's block given without its provider's key (cert-manager's
    /// `route53:` block pasted as the whole config): the providers whose fields include every
    /// key, with the two ways to say which provider it is. `nil` when no provider fits.
    static func bareBlockHint(_ keys: Set<String>, registry: ProviderRegistry, at path: ConfigPath) -> String? {
        guard !keys.isEmpty else { return nil }
        let fitting = registry.descriptors.filter { keys.isSubset(of: Set($0.fields.map(\.name))) }.map(\.name)
        guard let first = fitting.first, fitting.count <= 3 else { return nil }
        let which = fitting.count == 1 ? "a \(first) block" : "a block of " + fitting.joined(separator: " or ")
        let wrapped = fitting.map { "\"\($0):\"" }.joined(separator: " or ")
        guard path.isRoot else {
            return "this looks like \(which) without its key; put it under \(wrapped)"
        }
        let solvers = fitting.map { "--solver \($0)" }.joined(separator: " or ")
        return "this looks like \(which) on its own; name its solver (\(solvers); in an Issuer, solverName: \(first)), or put the block under \(wrapped)"
    }

    private static func decodeEntry(
        _ item: ConfigValue, registry: ProviderRegistry, source: ConfigSource, at path: ConfigPath
    ) throws(DNS01Error) -> Selector.Rule {
        guard case .object(var fields) = item else {
            throw DNS01Error.invalidConfiguration(at: path, "must be an object, got \(item.kindName)")
        }
        var dnsNames: [DomainName] = []
        var dnsZones: [DomainName] = []
        if let selectorValue = fields.removeValue(forKey: "selector"), selectorValue != .null {
            let selectorPath = path.appending("selector")
            var reader = try ConfigReader(selectorValue, at: selectorPath)
            if reader.contains("matchLabels") {
                throw DNS01Error.invalidConfiguration(at: selectorPath.appending("matchLabels"), "is not supported: the webhook never sees Certificate labels; select by dnsNames or dnsZones")
            }
            dnsNames = try domainList(&reader, "dnsNames", at: selectorPath)
            dnsZones = try domainList(&reader, "dnsZones", at: selectorPath)
            try reader.finish()
        }
        let binding = try decodeSingleProvider(fields, registry: registry, source: source, at: path)
        return Selector.Rule(label: path.description, dnsNames: dnsNames, dnsZones: dnsZones, value: binding)
    }

    private static func domainList(_ reader: inout ConfigReader, _ key: String, at path: ConfigPath) throws(DNS01Error) -> [DomainName] {
        guard let texts = try reader.optionalStringList(key) else { return [] }
        var names: [DomainName] = []
        for (index, text) in texts.enumerated() {
            do throws(DNS01Error) {
                let name = try DomainName(text)
                if key == "dnsZones" && name.isWildcard {
                    throw DNS01Error(.invalidConfiguration, "a zone cannot be a wildcard")
                }
                if name.isRoot { throw DNS01Error(.invalidConfiguration, "must not be empty") }
                names.append(name)
            } catch {
                throw DNS01Error.invalidConfiguration(at: path.appending(key).appending(index: index), "is not a valid DNS name: \(error.message)")
            }
        }
        return names
    }
}

/// The provider chosen for a challenge, and why.
public struct Route: Sendable, CustomStringConvertible {
    public let binding: ProviderBinding
    public let reason: ProviderSelector<ProviderBinding>.Reason
    public let origin: ConfigOrigin

    public var description: String {
        let location = binding.path.isRoot ? binding.pluginName : binding.path.description
        return "\(location) (\(reason), \(origin.rawValue) config)"
    }
}
