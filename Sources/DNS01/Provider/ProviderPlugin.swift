/// A provider plugin: a config key, a validating decoder for its block, and a factory.
///
/// A plugin instance lives as long as the process and is shared by every challenge, so it is
/// the place for caches keyed by configuration and credentials (zone lists, temporary
/// credentials, batching queues). Challenges with different credentials never share state.
public protocol ProviderPlugin: Sendable {
    associatedtype Configuration: Sendable

    /// The config key and solver name (`route53`, `alidns`, `memory`).
    var name: String { get }

    /// Decodes and validates the plugin's config block. Pure: no I/O and no Secret reads, so
    /// an operator's config is fully checked at load time. Errors name the field path.
    func decodeConfiguration(_ block: ConfigValue, at path: ConfigPath, origin: ConfigOrigin) throws(DNS01Error) -> Configuration

    /// The same, also given the operator's `issuerPolicy`, for plugins whose Issuer configs
    /// may name things only the operator can allow (the `http` provider's endpoint). The
    /// default ignores the policy.
    func decodeConfiguration(_ block: ConfigValue, at path: ConfigPath, origin: ConfigOrigin, policy: IssuerPolicy) throws(DNS01Error) -> Configuration

    /// Resolves credentials for one challenge and returns the provider to use.
    func makeProvider(for configuration: Configuration, context: ProviderContext) async throws -> any DNSProvider
}

extension ProviderPlugin {
    public func decodeConfiguration(_ block: ConfigValue, at path: ConfigPath, origin: ConfigOrigin, policy: IssuerPolicy) throws(DNS01Error) -> Configuration {
        try decodeConfiguration(block, at: path, origin: origin)
    }
}

/// A plugin's decoded configuration, with the plugin's type erased so routing tables can mix
/// providers.
public struct ProviderBinding: Sendable {
    /// The plugin name (`route53`).
    public let pluginName: String
    /// Where the block sits in its document (`providers[1].route53`), for messages.
    public let path: ConfigPath
    private let factory: @Sendable (ProviderContext) async throws -> any DNSProvider

    init<Plugin: ProviderPlugin>(plugin: Plugin, configuration: Plugin.Configuration, path: ConfigPath) {
        self.pluginName = plugin.name
        self.path = path
        self.factory = { context in try await plugin.makeProvider(for: configuration, context: context) }
    }

    public func makeProvider(context: ProviderContext) async throws -> any DNSProvider {
        try await factory(context)
    }
}
