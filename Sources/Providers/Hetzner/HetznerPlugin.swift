import DNS01
import Foundation
import ProviderKit

/// The `hetzner` plugin: DNS zones of the Hetzner Cloud API with a bearer token from a Secret
/// or a file, values added and removed server-side by rrset actions.
///
/// The plugin lives as long as the process; its zone lists are cached per endpoint and token
/// digest, so challenges with different tokens share nothing.
public struct HetznerPlugin: ProviderPlugin {
    public typealias Configuration = HetznerConfiguration

    private let transport: any HTTPTransport
    private let retryPolicy: RetryPolicy
    private let polling: HetznerActionPolling
    private let readFile: @Sendable (String) throws -> Data?
    private let zoneLists = ZoneFinder<HetznerZone>.Cache()

    /// - Parameters:
    ///   - transport: where requests go (the shared AsyncHTTPClient by default).
    ///   - retryPolicy: backoff for throttling, 5xx and transient network failures.
    ///   - polling: how actions are waited for.
    ///   - readFile: reads `tokenFilePath` (injectable for tests).
    public init(
        transport: any HTTPTransport = AsyncHTTPClientTransport(),
        retryPolicy: RetryPolicy = RetryPolicy(),
        polling: HetznerActionPolling = HetznerActionPolling(),
        readFile: @escaping @Sendable (String) throws -> Data? = { FileManager.default.contents(atPath: $0) }
    ) {
        self.transport = transport
        self.retryPolicy = retryPolicy
        self.polling = polling
        self.readFile = readFile
    }

    public func decodeConfiguration(_ block: ConfigValue, at path: ConfigPath, source: ConfigSource) throws(DNS01Error) -> HetznerConfiguration {
        try HetznerConfiguration.decode(block, at: path, source: source)
    }

    public func makeProvider(for configuration: HetznerConfiguration, context: ProviderContext) async throws -> any DNSProvider {
        let token = try await HetznerToken.resolve(configuration.token, context: context, readFile: readFile)
        let client = HetznerClient(
            endpoint: configuration.endpoint, token: token.value, transport: transport, retryPolicy: retryPolicy,
            polling: polling, timeout: configuration.httpTimeout, logger: context.logger
        )
        return HetznerDNSProvider(
            client: client,
            token: token,
            zones: ZoneFinder(cache: zoneLists),
            account: AccountKey(endpoint: configuration.endpoint, identity: token.identity),
            configuredZone: configuration.zoneName,
            ttl: configuration.ttl,
            logger: context.logger
        )
    }
}
