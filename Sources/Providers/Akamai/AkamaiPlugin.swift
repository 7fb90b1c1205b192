import DNS01
import ProviderKit

/// The `akamai` plugin: a drop-in for cert-manager's built-in `akamai` solver (same block), on
/// Edge DNS (config-dns v2) with EdgeGrid `EG1-HMAC-SHA256` request signing.
///
/// The plugin lives as long as the process: zone lists are cached per endpoint and API client,
/// and the per-name write locks are shared by every challenge, so the record-set writes of one
/// replica never interleave.
public struct AkamaiPlugin: ProviderPlugin {
    public typealias Configuration = AkamaiConfiguration

    private let transport: any HTTPTransport
    private let retryPolicy: RetryPolicy
    private let environment: AkamaiEnvironment
    private let zoneLists = ZoneFinder<AkamaiZone>.Cache()
    private let locks = RecordSetLocks<AkamaiDNSProvider.SetKey>()

    /// - Parameters:
    ///   - transport: where requests go (the shared AsyncHTTPClient by default).
    ///   - retryPolicy: backoff for throttling, 5xx and network failures.
    ///   - environment: wall clock, nonces and per-request timeout.
    public init(
        transport: any HTTPTransport = AsyncHTTPClientTransport(),
        retryPolicy: RetryPolicy = RetryPolicy(),
        environment: AkamaiEnvironment = AkamaiEnvironment()
    ) {
        self.transport = transport
        self.retryPolicy = retryPolicy
        self.environment = environment
    }

    public func decodeConfiguration(_ block: ConfigValue, at path: ConfigPath, source: ConfigSource) throws(DNS01Error) -> AkamaiConfiguration {
        try AkamaiConfiguration.decode(block, at: path, source: source)
    }

    public func makeProvider(for configuration: AkamaiConfiguration, context: ProviderContext) async throws -> any DNSProvider {
        let credentials = try await AkamaiCredentials.load(configuration, context: context)
        let client = AkamaiClient(
            endpoint: configuration.endpoint, credentials: credentials, transport: transport,
            retryPolicy: retryPolicy, environment: environment, logger: context.logger
        )
        return AkamaiDNSProvider(
            client: client,
            zones: ZoneFinder(cache: zoneLists),
            account: AccountKey(endpoint: configuration.endpoint.description, identity: credentials.identity),
            locks: locks,
            logger: context.logger
        )
    }
}
