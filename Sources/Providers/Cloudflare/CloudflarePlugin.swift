import DNS01
import ProviderKit

/// The `cloudflare` plugin: a drop-in for cert-manager's built-in `cloudflare` solver (same
/// block), on Cloudflare API v4 with an API token or the global API key.
///
/// The plugin lives as long as the process; its zone lists are cached per endpoint and
/// credential identity, so challenges with different credentials share nothing.
public struct CloudflarePlugin: ProviderPlugin {
    public typealias Configuration = CloudflareConfiguration

    private let transport: any HTTPTransport
    private let retryPolicy: RetryPolicy
    private let requestTimeout: Duration
    private let zoneLists = ZoneFinder<CloudflareZone>.Cache()

    /// - Parameters:
    ///   - transport: where requests go (the shared AsyncHTTPClient by default).
    ///   - retryPolicy: backoff for throttling, 5xx and network failures (a `Retry-After`
    ///     longer than the backoff is waited for, within the policy's deadline).
    ///   - requestTimeout: per request; cert-manager uses 30 s.
    public init(
        transport: any HTTPTransport = AsyncHTTPClientTransport(),
        retryPolicy: RetryPolicy = RetryPolicy(),
        requestTimeout: Duration = .seconds(30)
    ) {
        self.transport = transport
        self.retryPolicy = retryPolicy
        self.requestTimeout = requestTimeout
    }

    public func decodeConfiguration(_ block: ConfigValue, at path: ConfigPath, source: ConfigSource) throws(DNS01Error) -> CloudflareConfiguration {
        try CloudflareConfiguration.decode(block, at: path, source: source)
    }

    public func makeProvider(for configuration: CloudflareConfiguration, context: ProviderContext) async throws -> any DNSProvider {
        let credentials = try await CloudflareCredentials.load(configuration, context: context)
        let client = CloudflareClient(
            endpoint: configuration.endpoint, credentials: credentials, transport: transport,
            retryPolicy: retryPolicy, requestTimeout: requestTimeout, logger: context.logger
        )
        return CloudflareDNSProvider(
            client: client,
            zones: ZoneFinder(cache: zoneLists),
            account: AccountKey(endpoint: configuration.endpoint.description, identity: credentials.identity),
            logger: context.logger
        )
    }
}
