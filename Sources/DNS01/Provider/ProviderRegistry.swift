/// The set of provider plugins a process serves, by config key. The built-in registry
/// (`ProviderRegistry.builtIn()`) is generated from the provider targets in Package.swift.
public struct ProviderRegistry: Sendable {
    private struct Entry: Sendable {
        let descriptor: ProviderDescriptor
        let bind: @Sendable (ConfigValue, ConfigPath, ConfigSource) throws(DNS01Error) -> ProviderBinding
    }
    /// By every accepted key (names and aliases).
    private var entries: [String: Entry] = [:]
    private var order: [String] = []

    public init() {}

    /// Registers `plugin` under its descriptor's name and aliases; a later registration of
    /// the same name replaces it.
    public mutating func register<Plugin: ProviderPlugin>(_ plugin: Plugin) {
        let descriptor = Plugin.descriptor
        let entry = Entry(descriptor: descriptor) { block, path, source throws(DNS01Error) in
            let configuration = try plugin.decodeConfiguration(block, at: path, source: source)
            return ProviderBinding(plugin: plugin, configuration: configuration, path: path)
        }
        for key in descriptor.keys { entries[key] = entry }
        if !order.contains(descriptor.name) { order.append(descriptor.name) }
    }

    /// The registered plugin names (without aliases), sorted.
    public var pluginNames: [String] { order.sorted() }

    /// Every accepted config key, aliases included, sorted.
    public var acceptedKeys: [String] { entries.keys.sorted() }

    /// The descriptors, sorted by name.
    public var descriptors: [ProviderDescriptor] { pluginNames.compactMap { entries[$0]?.descriptor } }

    /// Whether `name` is a plugin name or an alias.
    public func contains(_ name: String) -> Bool { entries[name] != nil }

    /// The descriptor of the plugin that accepts the key `name`.
    public func descriptor(for name: String) -> ProviderDescriptor? { entries[name]?.descriptor }

    /// Decodes `block` with the plugin called (or aliased) `name`.
    public func bind(_ name: String, block: ConfigValue, at path: ConfigPath, source: ConfigSource) throws(DNS01Error) -> ProviderBinding {
        guard let entry = entries[name] else {
            throw DNS01Error.invalidConfiguration(at: path, "names an unknown provider \"\(name)\" (known: \(pluginNames.joined(separator: ", ")))")
        }
        return try entry.bind(block, path, source)
    }
}
