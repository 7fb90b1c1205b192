import DNS01

/// A cert-manager `Issuer` or `ClusterIssuer` manifest given where a config document is
/// expected (people paste what they have). Its one DNS-01 solver's config is what they mean:
/// a webhook solver's `config`, or a built-in solver's block (`route53:`, `cloudflare:`, …)
/// that a provider here accepts as it is. Several DNS-01 solvers, or one this webhook cannot
/// serve, are refused with the exact path of each block to copy.
public enum IssuerManifest {
    /// The config taken out of a manifest.
    public struct Extracted: Sendable, Equatable {
        /// The document to use as the config.
        public var config: ConfigValue
        /// The solver the manifest names (a webhook solver's `solverName` that is served
        /// here), when the caller gave none.
        public var solver: String?
        /// One line saying what was taken from where, for the user.
        public var note: String
    }

    /// `nil` when `document` is not a cert-manager Issuer or ClusterIssuer (an ordinary config).
    ///
    /// - Parameter requestedSolver: the solver the user asked for, if any: among several
    ///   DNS-01 solvers, the one of that name (built-in key or webhook `solverName`) is taken.
    public static func extract(
        from document: ConfigValue, source: String, requestedSolver: String?, registry: ProviderRegistry
    ) throws(DNS01Error) -> Extracted? {
        guard case .object(let fields) = document, let kind = fields["kind"]?.stringValue else { return nil }
        let apiVersion = fields["apiVersion"]?.stringValue ?? ""
        guard kind == "Issuer" || kind == "ClusterIssuer", apiVersion.hasPrefix("cert-manager.io/") else {
            if !apiVersion.isEmpty, fields["metadata"] != nil {
                let advice = kind == "Secret" ? "; Secret manifests go to --secrets" : ""
                throw DNS01Error(.invalidConfiguration, "\(source) is a Kubernetes \(kind) manifest, not a config document (a provider block or a providers list)\(advice)")
            }
            return nil
        }
        let name = fields["metadata"]?["name"]?.stringValue.map { " \"\($0)\"" } ?? ""
        let what = "\(source) is the \(kind)\(name)"
        let candidates = solverBlocks(in: fields, registry: registry)
        guard !candidates.isEmpty else {
            throw DNS01Error(.invalidConfiguration, "\(what), which has no DNS-01 solver (spec.acme.solvers[].dns01); give the config of a DNS-01 solver")
        }
        var chosen = candidates
        if candidates.count > 1, let requestedSolver {
            chosen = candidates.filter { $0.solverName == requestedSolver }
        }
        guard chosen.count == 1, let candidate = chosen.first else {
            let listed = candidates.map { "\($0.path) (\($0.label))" }.joined(separator: ", ")
            throw DNS01Error(
                .invalidConfiguration,
                "\(what), which has \(candidates.count) DNS-01 solvers; copy the one you mean into a file of its own (for example yq '\(candidates[0].path)' \(source)): \(listed)"
            )
        }
        switch candidate.block {
        case .webhook(let config, let solverName):
            guard let config, config != .null else {
                throw DNS01Error(.invalidConfiguration, "\(what); its solver \(candidate.path.dropLast(".config".count)) has no config")
            }
            let served = solverName.flatMap { registry.contains($0) || $0 == ChallengeDispatcher.dispatchSolverName ? $0 : nil }
            var note = "\(what): using \(candidate.path)"
            if let solverName {
                note += served == nil ? " (its solverName \"\(solverName)\" belongs to another webhook: name this webhook's solver with --solver)" : " with solver \(solverName)"
            }
            return Extracted(config: config, solver: served, note: note)
        case .builtIn(let key, let block):
            guard let provider = registry.descriptor(for: key)?.name else {
                throw DNS01Error(
                    .invalidConfiguration,
                    "\(what), whose DNS-01 solver \(candidate.path) is not one this webhook serves; its providers: \(registry.pluginNames.joined(separator: ", "))"
                )
            }
            return Extracted(config: .object([provider: block]), solver: nil, note: "\(what): using \(candidate.path) as the \(provider) block")
        }
    }

    private enum Block {
        case webhook(config: ConfigValue?, solverName: String?)
        case builtIn(key: String, block: ConfigValue)
    }

    private struct Candidate {
        var path: String
        var block: Block

        var solverName: String? {
            switch block {
            case .webhook(_, let solverName): solverName
            case .builtIn(let key, _): key
            }
        }

        var label: String {
            switch block {
            case .webhook(_, let solverName): "webhook, solverName \(solverName ?? "unset")"
            case .builtIn(let key, _): "cert-manager's \(key) solver"
            }
        }
    }

    /// Every `dns01` solver of `spec.acme.solvers`, in order, with its yq-style path.
    private static func solverBlocks(in fields: [String: ConfigValue], registry: ProviderRegistry) -> [Candidate] {
        guard case .array(let solvers)? = fields["spec"]?["acme"]?["solvers"] else { return [] }
        var candidates: [Candidate] = []
        for (index, solver) in solvers.enumerated() {
            guard case .object(let dns01)? = solver["dns01"] else { continue }
            let base = ".spec.acme.solvers[\(index)].dns01"
            if let webhook = dns01["webhook"] {
                candidates.append(Candidate(path: "\(base).webhook.config", block: .webhook(config: webhook["config"], solverName: webhook["solverName"]?.stringValue)))
                continue
            }
            // Every other key but cnameStrategy is one of cert-manager's built-in solvers.
            for key in dns01.keys.sorted() where key != "cnameStrategy" {
                candidates.append(Candidate(path: "\(base).\(key)", block: .builtIn(key: key, block: dns01[key] ?? .null)))
            }
        }
        return candidates
    }
}
