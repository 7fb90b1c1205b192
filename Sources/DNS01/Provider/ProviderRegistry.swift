/// The set of provider plugins a process serves, by name. Adding a provider is one
/// `register` line (see `BuiltinProviders`).
public struct ProviderRegistry: Sendable {
    private struct Entry: Sendable {
        let bind: @Sendable (ConfigValue, ConfigPath, ConfigOrigin, IssuerPolicy) throws(DNS01Error) -> ProviderBinding
    }
    private var entries: [String: Entry] = [:]

    public init() {}

    /// Registers `plugin` under `plugin.name`; a later registration of the same name replaces it.
    public mutating func register<Plugin: ProviderPlugin>(_ plugin: Plugin) {
        entries[plugin.name] = Entry { block, path, origin, policy throws(DNS01Error) in
            let configuration = try plugin.decodeConfiguration(block, at: path, origin: origin, policy: policy)
            return ProviderBinding(plugin: plugin, configuration: configuration, path: path)
        }
    }

    /// The registered plugin names, sorted.
    public var pluginNames: [String] { entries.keys.sorted() }

    public func contains(_ name: String) -> Bool { entries[name] != nil }

    /// Decodes `block` with the plugin called `name`; `policy` is the operator's `issuerPolicy`.
    public func bind(
        _ name: String, block: ConfigValue, at path: ConfigPath, origin: ConfigOrigin, policy: IssuerPolicy = .denyAll
    ) throws(DNS01Error) -> ProviderBinding {
        guard let entry = entries[name] else {
            throw DNS01Error.invalidConfiguration(at: path, "names an unknown provider \"\(name)\" (known: \(pluginNames.joined(separator: ", ")))")
        }
        return try entry.bind(block, path, origin, policy)
    }
}
