import DNS01
import ProviderKit

/// The `dnspod` plugin: Tencent Cloud DNSPod (API 3.0, version 2021-03-23) with API keys from
/// Secrets, temporary keys with their session token, or, for challenges that allow ambient
/// credentials, environment keys and TKE's OIDC role.
///
/// The plugin lives as long as the process; its caches (domain lists, STS keys, recently created
/// record ids) are keyed by endpoint and credential identity, so challenges with different
/// credentials share nothing.
public struct DNSPodPlugin: ProviderPlugin {
    public typealias Configuration = DNSPodConfiguration

    private let transport: any HTTPTransport
    private let retryPolicy: RetryPolicy
    private let environment: TencentCloudEnvironment
    private let domainLists = ZoneFinder<DNSPodDomain>.Cache()
    private let stsCredentials = ExpiringCache<WebIdentityCredentialSource.Settings, WebIdentityCredentialSource.Issued>()
    private let created = CreatedRecordMemory()

    /// - Parameters:
    ///   - transport: where requests go (the shared AsyncHTTPClient by default).
    ///   - retryPolicy: backoff for throttling, internal errors, 5xx and network failures.
    ///   - environment: wall clock and per-request timeout.
    public init(
        transport: any HTTPTransport = AsyncHTTPClientTransport(),
        retryPolicy: RetryPolicy = RetryPolicy(),
        environment: TencentCloudEnvironment = TencentCloudEnvironment()
    ) {
        self.transport = transport
        self.retryPolicy = retryPolicy
        self.environment = environment
    }

    public func decodeConfiguration(_ block: ConfigValue, at path: ConfigPath, source: ConfigSource) throws(DNS01Error) -> DNSPodConfiguration {
        try DNSPodConfiguration.decode(block, at: path, source: source)
    }

    public func makeProvider(for configuration: DNSPodConfiguration, context: ProviderContext) async throws -> any DNSProvider {
        let resolver = TencentCredentialResolver(
            stsCredentials: stsCredentials,
            sts: TencentSTSClient(makeAPI: { endpoint, region in
                api(endpoint, service: "sts", version: TencentSTSClient.apiVersion, region: region, context)
            }),
            epochSeconds: environment.epochSeconds
        )
        let credentials = try await resolver.resolve(configuration, context: context)
        let client = DNSPodClient(
            // DNSPod is not regional: X-TC-Region goes only to STS, which needs it.
            api: api(configuration.endpoint, service: "dnspod", version: DNSPodClient.apiVersion, region: nil, context),
            credentials: credentials
        )
        return DNSPodDNSProvider(
            client: client,
            zones: ZoneFinder(cache: domainLists),
            account: AccountKey(endpoint: configuration.endpoint.description, identity: credentials.identity),
            ttl: configuration.ttl,
            recordLine: configuration.recordLine ?? DNSPodConfiguration.defaultRecordLine,
            created: created,
            endpoint: configuration.endpoint,
            logger: context.logger
        )
    }

    private func api(_ endpoint: BaseURL, service: String, version: String, region: String?, _ context: ProviderContext) -> TencentAPIClient {
        TencentAPIClient(
            endpoint: endpoint, service: service, version: version, region: region,
            transport: transport, retryPolicy: retryPolicy, environment: environment, logger: context.logger
        )
    }
}
