import DNS01
import ProviderKit

/// The `huaweicloud` plugin: Huawei Cloud DNS (v2) with access keys from Secrets (or inline, as
/// one older webhook took them), temporary keys with their security token, or, for challenges
/// that allow ambient credentials, environment keys.
///
/// The plugin lives as long as the process; its zone lists are keyed by endpoint and credential
/// identity, and its record set writer serialises writes per account, zone and name.
public struct HuaweiCloudPlugin: ProviderPlugin {
    public typealias Configuration = HuaweiCloudConfiguration

    private let transport: any HTTPTransport
    private let retryPolicy: RetryPolicy
    private let environment: HuaweiCloudEnvironment
    private let zoneLists = ZoneFinder<HuaweiZone>.Cache()
    private let writer = TXTSetWriter()

    /// - Parameters:
    ///   - transport: where requests go (the shared AsyncHTTPClient by default).
    ///   - retryPolicy: backoff for throttling, 5xx and network failures.
    ///   - environment: wall clock and per-request timeout.
    public init(
        transport: any HTTPTransport = AsyncHTTPClientTransport(),
        retryPolicy: RetryPolicy = RetryPolicy(),
        environment: HuaweiCloudEnvironment = HuaweiCloudEnvironment()
    ) {
        self.transport = transport
        self.retryPolicy = retryPolicy
        self.environment = environment
    }

    public func decodeConfiguration(_ block: ConfigValue, at path: ConfigPath, source: ConfigSource) throws(DNS01Error) -> HuaweiCloudConfiguration {
        try HuaweiCloudConfiguration.decode(block, at: path, source: source)
    }

    public func makeProvider(for configuration: HuaweiCloudConfiguration, context: ProviderContext) async throws -> any DNSProvider {
        let credentials = try await HuaweiCredentialResolver.resolve(configuration, context: context)
        let projectId = configuration.projectId ?? credentials.projectId
        let api = HuaweiAPIClient(
            endpoint: configuration.endpoint, credentials: credentials, projectId: projectId,
            transport: transport, retryPolicy: retryPolicy, environment: environment, logger: context.logger
        )
        return HuaweiCloudDNSProvider(
            client: HuaweiDNSClient(api: api),
            zones: ZoneFinder(cache: zoneLists),
            account: AccountKey(endpoint: "\(configuration.endpoint)|\(configuration.zoneType)|\(projectId ?? "-")", identity: credentials.identity),
            origin: credentials.origin,
            pinnedZone: configuration.zone,
            zoneType: configuration.zoneType,
            ttl: configuration.ttl,
            writer: writer,
            endpoint: configuration.endpoint,
            logger: context.logger
        )
    }
}
