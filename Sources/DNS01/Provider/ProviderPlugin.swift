import Logging

/// A provider plugin: a descriptor, a validating decoder for its config block, and a factory.
///
/// A plugin instance lives as long as the process and is shared by every challenge, so it is
/// the place for caches keyed by configuration and credentials (zone lists, temporary
/// credentials, batching queues). Challenges with different credentials never share state.
/// docs/providers.md is the guide; the `new-provider` scaffold writes a plugin that follows it.
public protocol ProviderPlugin: Sendable {
    associatedtype Configuration: Sendable

    /// What the provider is: its name (the config key and solver name), fields, auth modes,
    /// official hosts and limits. Docs pages and the config JSON Schema are generated from it.
    static var descriptor: ProviderDescriptor { get }

    /// Decodes and validates the plugin's config block. Pure: no I/O and no Secret reads, so
    /// an operator's config is fully checked at load time. Errors name the field path.
    /// Endpoints and programs are checked with `source` (`checkEndpoint`, `checkProgram`),
    /// the one place that decides what an Issuer's config may name.
    func decodeConfiguration(_ block: ConfigValue, at path: ConfigPath, source: ConfigSource) throws(DNS01Error) -> Configuration

    /// Resolves credentials for one challenge and returns the provider to use. Runs off the
    /// server's I/O threads; see docs/providers.md for what a provider may do here.
    func makeProvider(for configuration: Configuration, context: ProviderContext) async throws -> any DNSProvider

    /// Checks, once at start-up, what a configuration of the operator's own config needs from
    /// the machine it runs on (tools in the image, files), so a pod that cannot work says why
    /// before the first challenge. Most plugins need nothing (the default).
    func startupCheck(_ configuration: Configuration, logger: Logger) async throws
}

extension ProviderPlugin {
    /// The config key and solver name.
    public var name: String { Self.descriptor.name }

    public func startupCheck(_ configuration: Configuration, logger: Logger) async throws {}
}

/// A plugin's decoded configuration, with the plugin's type erased so routing tables can mix
/// providers.
public struct ProviderBinding: Sendable {
    /// The plugin name (`route53`).
    public let pluginName: String
    /// Where the block sits in its document (`providers[1].route53`), for messages.
    public let path: ConfigPath
    /// How the plugin's API stores several values at one name (its descriptor's `recordModel`).
    public let recordModel: RecordModel
    private let factory: @Sendable (ProviderContext) async throws -> any DNSProvider
    private let check: @Sendable (Logger) async throws -> Void

    init<Plugin: ProviderPlugin>(plugin: Plugin, configuration: Plugin.Configuration, path: ConfigPath) {
        self.pluginName = plugin.name
        self.path = path
        self.recordModel = Plugin.descriptor.recordModel
        self.factory = { context in try await plugin.makeProvider(for: configuration, context: context) }
        self.check = { logger in try await plugin.startupCheck(configuration, logger: logger) }
    }

    /// The plugin's start-up check of this configuration (`ProviderPlugin.startupCheck`).
    public func startupCheck(logger: Logger) async throws {
        try await check(logger)
    }

    public func makeProvider(context: ProviderContext) async throws -> any DNSProvider {
        try await factory(context)
    }
}
