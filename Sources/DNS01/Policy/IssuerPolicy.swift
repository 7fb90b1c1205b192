/// What the operator lets an Issuer's config ask for, read from the `issuerPolicy` block of the
/// operator's own config (`serve --config`, the CLI's `--config`) and never from an Issuer:
///
/// ```yaml
/// issuerPolicy:
///   allowedEndpoints:                       # URL prefixes an Issuer may send requests to
///     - https://dns-hooks.internal.example.com/acme/
///     - dns://10.0.0.53:53/                 # a nameserver an Issuer's rfc2136 block may name
///   allowedPrograms:                        # programs (exec) and scripts (acmesh) an Issuer may name
///     - /usr/local/bin/update-dns
/// providers: [...]                          # the default table, as usual (optional)
/// ```
///
/// Without the block an Issuer may name only each provider's official API hosts, and no
/// program: a URL or a program in a namespaced Issuer would otherwise let any tenant make the
/// webhook's pod send requests wherever they like, or run code in it. Providers never read
/// this type directly; they ask `ConfigSource` (one rule for every provider).
public struct IssuerPolicy: Sendable, Hashable {
    /// The config key of the block.
    public static let key = "issuerPolicy"

    /// The endpoint prefixes Issuer configs may name, beyond each provider's official hosts.
    public var allowedEndpoints: [EndpointPrefix]
    /// Programs and scripts (exactly as written in the config) Issuer configs may name.
    public var allowedPrograms: [String]

    public init(allowedEndpoints: [EndpointPrefix] = [], allowedPrograms: [String] = []) {
        self.allowedEndpoints = allowedEndpoints
        self.allowedPrograms = allowedPrograms
    }

    /// The policy with nothing extra allowed: what applies when the operator wrote none.
    public static let denyAll = IssuerPolicy()

    /// Whether `endpoint` (an absolute http(s) or dns URL) lies under one of the allowed prefixes.
    public func allows(endpoint: String) -> Bool {
        guard let url = EndpointPrefix(matching: endpoint) else { return false }
        return allowedEndpoints.contains { $0.contains(url) }
    }

    /// Whether the program or script `name` is listed.
    public func allows(program name: String) -> Bool {
        allowedPrograms.contains(name)
    }

    /// The policy in an operator's config document (`.denyAll` when it has none), and the
    /// document without the block.
    public static func operatorPolicy(in document: ConfigValue) throws(DNS01Error) -> (policy: IssuerPolicy, rest: ConfigValue) {
        guard case .object(var fields) = document, let block = fields.removeValue(forKey: key) else {
            return (.denyAll, document)
        }
        return (try decode(block, at: ConfigPath.root.appending(key)), .object(fields))
    }

    /// Decodes the `issuerPolicy` block.
    public static func decode(_ block: ConfigValue, at path: ConfigPath) throws(DNS01Error) -> IssuerPolicy {
        var reader = try ConfigReader(block, at: path)
        var prefixes: [EndpointPrefix] = []
        for (index, text) in (try reader.optionalStringList("allowedEndpoints") ?? []).enumerated() {
            guard let prefix = EndpointPrefix(text) else {
                throw DNS01Error.invalidConfiguration(
                    at: path.appending("allowedEndpoints").appending(index: index),
                    "must be an http://, https:// or dns:// URL with a host and no user, query, fragment or ./.. segments, got \"\(text)\""
                )
            }
            prefixes.append(prefix)
        }
        let programs = try reader.optionalStringList("allowedPrograms") ?? []
        for (index, program) in programs.enumerated() where program.isEmpty {
            throw DNS01Error.invalidConfiguration(at: path.appending("allowedPrograms").appending(index: index), "must not be empty")
        }
        try reader.finish()
        return IssuerPolicy(allowedEndpoints: prefixes, allowedPrograms: programs)
    }
}
