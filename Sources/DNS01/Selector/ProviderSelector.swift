/// Picks the entry that serves a domain: an exact `dnsNames` match first, then the longest
/// `dnsZones` element the domain equals or ends with at a label boundary, then the entry with
/// no selector. Ties are configuration errors found when the selector is built.
///
/// Lookup cost depends on the number of labels in the domain, not on the number of zones: the
/// zones live in a hash map, and the lookup probes each suffix of the domain once, longest
/// first (at most 127 probes for the longest legal name).
public struct ProviderSelector<Value: Sendable>: Sendable {
    public struct Rule: Sendable {
        /// How the rule is named in messages (`providers[2]`).
        public var label: String
        public var dnsNames: [DomainName]
        public var dnsZones: [DomainName]
        public var value: Value

        /// A rule with neither `dnsNames` nor `dnsZones` is the fallback.
        public var isFallback: Bool { dnsNames.isEmpty && dnsZones.isEmpty }

        public init(label: String, dnsNames: [DomainName] = [], dnsZones: [DomainName] = [], value: Value) {
            self.label = label
            self.dnsNames = dnsNames
            self.dnsZones = dnsZones
            self.value = value
        }
    }

    /// Why a rule was chosen, for logs and for `check` output.
    public enum Reason: Sendable, Hashable, CustomStringConvertible {
        case dnsName(DomainName)
        case dnsZone(DomainName)
        case fallback

        public var description: String {
            switch self {
            case .dnsName(let name): "dnsNames \(name.name)"
            case .dnsZone(let zone): "dnsZones \(zone.name)"
            case .fallback: "fallback entry"
            }
        }
    }

    public struct Match: Sendable {
        public let ruleIndex: Int
        public let label: String
        public let value: Value
        public let reason: Reason
    }

    public let rules: [Rule]
    private var exactNames: [String: Int] = [:]
    // Keyed by Substring so a lookup can probe suffixes of the query without allocating.
    private var zones: [Substring: Int] = [:]
    private var fallback: Int?

    public init(rules: [Rule]) throws(DNS01Error) {
        self.rules = rules
        for (index, rule) in rules.enumerated() {
            if rule.isFallback {
                if let earlier = fallback {
                    throw DNS01Error(.invalidConfiguration, "\(rules[earlier].label) and \(rule.label) both have no selector; only one fallback entry is allowed")
                }
                fallback = index
            }
            for name in rule.dnsNames {
                if let earlier = exactNames[name.name], earlier != index {
                    throw DNS01Error(.invalidConfiguration, "dnsNames \"\(name.name)\" is listed by both \(rules[earlier].label) and \(rule.label); a name may select one entry only")
                }
                exactNames[name.name] = index
            }
            for zone in rule.dnsZones {
                if let earlier = zones[Substring(zone.name)], earlier != index {
                    throw DNS01Error(.invalidConfiguration, "dnsZones \"\(zone.name)\" is listed by both \(rules[earlier].label) and \(rule.label); a zone may select one entry only")
                }
                zones[Substring(zone.name)] = index
            }
        }
    }

    /// The rule serving `domain`, or `nil` when none does. `*.` is ignored for zone matching;
    /// a `dnsNames` entry `*.example.com` matches the wildcard domain itself.
    public func select(_ domain: DomainName) -> Match? {
        if let index = exactNames[domain.name] { return match(index, .dnsName(domain)) }
        if !zones.isEmpty {
            let name = domain.strippingWildcard.name
            var start = name.startIndex
            while start < name.endIndex {
                if let index = zones[name[start...]] {
                    return match(index, .dnsZone(DomainName(normalised: String(name[start...]))))
                }
                guard let dot = name[start...].firstIndex(of: ".") else { break }
                start = name.index(after: dot)
            }
        }
        if let fallback { return match(fallback, .fallback) }
        return nil
    }

    private func match(_ index: Int, _ reason: Reason) -> Match {
        Match(ruleIndex: index, label: rules[index].label, value: rules[index].value, reason: reason)
    }
}
