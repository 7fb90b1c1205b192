import DNS01
import ProviderKit

/// The `alidns` plugin: Alibaba Cloud DNS (API 2015-01-09) with static AccessKeys from Secrets,
/// STS keys, or, for challenges that allow ambient credentials, environment keys and RRSA.
///
/// The plugin lives as long as the process; its caches (domain lists, RRSA keys) are keyed by
/// endpoint and credential identity, so challenges with different credentials share nothing.
public struct AliDNSPlugin: ProviderPlugin {
    public typealias Configuration = AliDNSConfiguration

    private let transport: any HTTPTransport
    private let retryPolicy: RetryPolicy
    private let rpcEnvironment: RPCEnvironment
    private let domainLists = ZoneFinder<AccountDomain>.Cache()
    private let stsCredentials = ExpiringCache<RRSACredentialSource.Settings, RRSACredentialSource.Issued>()

    /// - Parameters:
    ///   - transport: where requests go (the shared AsyncHTTPClient by default).
    ///   - retryPolicy: backoff for throttling, 5xx and network failures.
    ///   - environment: wall clock, nonces and per-request timeout.
    public init(
        transport: any HTTPTransport = AsyncHTTPClientTransport(),
        retryPolicy: RetryPolicy = RetryPolicy(),
        environment: RPCEnvironment = RPCEnvironment()
    ) {
        self.transport = transport
        self.retryPolicy = retryPolicy
        self.rpcEnvironment = environment
    }

    public func decodeConfiguration(_ block: ConfigValue, at path: ConfigPath, source: ConfigSource) throws(DNS01Error) -> AliDNSConfiguration {
        try AliDNSConfiguration.decode(block, at: path, source: source)
    }

    public func makeProvider(for configuration: AliDNSConfiguration, context: ProviderContext) async throws -> any DNSProvider {
        let resolver = AliCredentialResolver(
            stsCredentials: stsCredentials,
            sts: STSClient(makeRPC: { endpoint in rpc(endpoint, version: STSClient.apiVersion, context) }),
            epochSeconds: rpcEnvironment.epochSeconds
        )
        let credentials = try await resolver.resolve(configuration, context: context)
        let client = AliDNSClient(rpc: rpc(configuration.endpoint, version: AliDNSClient.apiVersion, context), credentials: credentials)
        return AliDNSDNSProvider(
            client: client,
            zones: ZoneFinder(cache: domainLists),
            account: AccountKey(endpoint: configuration.endpoint.description, identity: credentials.identity),
            ttl: configuration.ttl,
            line: configuration.line,
            endpoint: configuration.endpoint,
            logger: context.logger
        )
    }

    private func rpc(_ endpoint: BaseURL, version: String, _ context: ProviderContext) -> RPCClient {
        RPCClient(endpoint: endpoint, version: version, transport: transport, retryPolicy: retryPolicy, environment: rpcEnvironment, logger: context.logger)
    }
}
