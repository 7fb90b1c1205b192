import DNS01

/// The `memory` provider: records live in the process. It is the way to try dns01-webhook, and
/// to exercise the dispatch, the selector and `check`, without any cloud account.
public struct MemoryPlugin: ProviderPlugin {
    public let store: MemoryRecordStore

    public init(store: MemoryRecordStore = MemoryRecordStore()) {
        self.store = store
    }

    public func decodeConfiguration(_ block: ConfigValue, at path: ConfigPath, source: ConfigSource) throws(DNS01Error) -> MemoryConfiguration {
        try MemoryConfiguration.decode(block, at: path)
    }

    public func makeProvider(for configuration: MemoryConfiguration, context: ProviderContext) async throws -> any DNSProvider {
        if let reference = configuration.apiTokenSecretRef {
            _ = try await context.secret(reference)
        }
        return MemoryDNSProvider(store: store, configuration: configuration)
    }
}
