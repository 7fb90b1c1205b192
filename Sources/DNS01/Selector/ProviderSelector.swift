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
    private var zones: [String: Int] = [:]
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
                if let earlier = zones[zone.name], earlier != index {
                    throw DNS01Error(.invalidConfiguration, "dnsZones \"\(zone.name)\" is listed by both \(rules[earlier].label) and \(rule.label); a zone may select one entry only")
                }
                zones[zone.name] = index
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
                let suffix = String(name[start...])
                if let index = zones[suffix] {
                    return match(index, .dnsZone(DomainName.unchecked(suffix)))
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

extension DomainName {
    /// Wraps text that is already canonical (taken from another `DomainName`).
    static func unchecked(_ canonical: String) -> DomainName {
        // Canonical text always re-parses; the fallback keeps this total without a crash path.
        (try? DomainName(canonical)) ?? .root
    }
}
