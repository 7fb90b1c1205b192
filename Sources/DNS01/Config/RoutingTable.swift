/// A decoded config document: which provider serves which domains.
///
/// Accepted shapes (DESIGN.md §4):
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

    /// Decodes a document in either shape, validating every provider block. `policy` is the
    /// operator's `issuerPolicy`, applied by plugins to an Issuer's config. An operator's
    /// document may carry that `issuerPolicy` block (the dispatcher reads it, see
    /// `IssuerPolicy.operatorPolicy(in:)`); an Issuer's may not.
    public static func decode(
        _ document: ConfigValue,
        registry: ProviderRegistry,
        origin: ConfigOrigin,
        policy: IssuerPolicy = .denyAll,
        at path: ConfigPath = .root
    ) throws(DNS01Error) -> RoutingTable {
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
                rules.append(try decodeEntry(item, registry: registry, origin: origin, policy: policy, at: path.appending("providers").appending(index: index)))
            }
            return RoutingTable(selector: try Selector(rules: rules), origin: origin)
        }
        let binding = try decodeSingleProvider(fields, registry: registry, origin: origin, policy: policy, at: path)
        return try single(binding, origin: origin)
    }

    /// An operator's document as the given solver reads it: for a provider solver, a bare block
    /// (exactly what an Issuer would give that solver) is wrapped in the provider's name; a
    /// wrapped block, a routing table, and anything for `dispatch` are returned unchanged.
    public static func document(_ document: ConfigValue, forSolver solver: String, registry: ProviderRegistry) -> ConfigValue {
        guard registry.contains(solver), case .object(let fields) = document else { return document }
        let isWrappedOrTable = fields["providers"] != nil || (fields.count == 1 && fields.keys.allSatisfy(registry.contains))
        return isWrappedOrTable ? document : .object([solver: document])
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
        _ fields: [String: ConfigValue], registry: ProviderRegistry, origin: ConfigOrigin, policy: IssuerPolicy, at path: ConfigPath
    ) throws(DNS01Error) -> ProviderBinding {
        let named = fields.keys.filter { registry.contains($0) }.sorted()
        let unknown = fields.keys.filter { !registry.contains($0) && $0 != "selector" }.sorted()
        if let stray = unknown.first {
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
        return try registry.bind(name, block: block, at: path.appending(name), origin: origin, policy: policy)
    }

    private static func decodeEntry(
        _ item: ConfigValue, registry: ProviderRegistry, origin: ConfigOrigin, policy: IssuerPolicy, at path: ConfigPath
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
        let binding = try decodeSingleProvider(fields, registry: registry, origin: origin, policy: policy, at: path)
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
