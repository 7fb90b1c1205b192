import DNS01
import ProviderKit

/// The `cloudDNS` plugin (alias `clouddns`): Google Cloud DNS with a service-account key from a
/// Secret or, for challenges that allow ambient credentials, Application Default Credentials
/// (a key or workload identity federation file, then the metadata server).
///
/// The plugin lives as long as the process; its caches (access tokens, zone lists, the queues of
/// writers per TXT set) are keyed by the credentials' identity, so challenges with different
/// credentials share nothing.
public struct CloudDNSPlugin: ProviderPlugin {
    public typealias Configuration = CloudDNSConfiguration

    private let transport: any HTTPTransport
    private let retryPolicy: RetryPolicy
    private let environment: CloudDNSEnvironment
    private let tokens = GoogleAccessTokens.Cache()
    private let zoneLists = ZoneFinder<ManagedZone>.Cache()
    private let writer = TXTSetWriter()

    /// - Parameters:
    ///   - transport: where requests go (the shared AsyncHTTPClient by default).
    ///   - retryPolicy: backoff for throttling, 5xx, network failures and lost races.
    ///   - environment: wall clock, per-request timeout, change polling.
    public init(
        transport: any HTTPTransport = AsyncHTTPClientTransport(),
        retryPolicy: RetryPolicy = RetryPolicy(),
        environment: CloudDNSEnvironment = CloudDNSEnvironment()
    ) {
        self.transport = transport
        self.retryPolicy = retryPolicy
        self.environment = environment
    }

    public func decodeConfiguration(_ block: ConfigValue, at path: ConfigPath, source: ConfigSource) throws(DNS01Error) -> CloudDNSConfiguration {
        try CloudDNSConfiguration.decode(block, at: path, source: source)
    }

    public func makeProvider(for configuration: CloudDNSConfiguration, context: ProviderContext) async throws -> any DNSProvider {
        let tokenClient = GoogleTokenClient(transport: transport, retryPolicy: retryPolicy, requestTimeout: environment.requestTimeout, logger: context.logger)
        let source = try await GoogleCredentialResolver(client: tokenClient).resolve(configuration, context: context)
        let accessTokens = GoogleAccessTokens(source: source, cache: tokens, epochSeconds: environment.epochSeconds)
        let client = CloudDNSClient(
            endpoint: configuration.endpoint, project: configuration.project, tokens: accessTokens,
            transport: transport, retryPolicy: retryPolicy, requestTimeout: environment.requestTimeout, logger: context.logger
        )
        return CloudDNSDNSProvider(
            client: client,
            zones: ZoneFinder(cache: zoneLists),
            account: AccountKey(endpoint: "\(configuration.endpoint)/projects/\(configuration.project)", identity: source.identity),
            hostedZoneName: configuration.hostedZoneName,
            writer: writer,
            retryPolicy: retryPolicy,
            changeWait: environment.changeWait,
            origin: source.origin,
            logger: context.logger
        )
    }
}
