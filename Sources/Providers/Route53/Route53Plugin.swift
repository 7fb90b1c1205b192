import DNS01
import ProviderKit

/// The `route53` provider plugin: a drop-in for cert-manager's built-in Route53 solver (fields
/// in `Route53Plugin+Descriptor.swift`).
///
/// One plugin instance serves every challenge of the process; it holds the caches and the
/// per-zone change batchers, so concurrent challenges share calls.
public struct Route53Plugin: ProviderPlugin {
    private let state: Route53PluginState
    private let sender: AWSRequestSender
    private let syncWaiter: ChangeSyncWaiter
    private let readFile: @Sendable (String) throws -> String
    private let zoneLifetime: Duration

    /// - Parameters:
    ///   - sender: how AWS requests go out (the transport, retries, the wall clock).
    ///   - limits: Route53's per-request batch limits.
    ///   - syncWaiter: how INSYNC is polled.
    ///   - readFile: reads token files (IRSA, Pod Identity).
    ///   - zoneLifetime: how long a hosted-zone list is reused.
    ///   - requestsPerSecond: client-side pacing of Route53 calls per account (Route53 allows
    ///     5; the default leaves room for external-dns and others sharing the account); `nil`
    ///     turns pacing off.
    public init(
        sender: AWSRequestSender = AWSRequestSender(transport: AsyncHTTPClientTransport()),
        limits: ChangeBatcher.Limits = ChangeBatcher.Limits(),
        requestsPerSecond: Double? = 4,
        syncWaiter: ChangeSyncWaiter = ChangeSyncWaiter(),
        readFile: @escaping @Sendable (String) throws -> String = CredentialsChain.readTextFile,
        zoneLifetime: Duration = .seconds(300)
    ) {
        self.state = Route53PluginState(limits: limits, requestsPerSecond: requestsPerSecond)
        self.sender = sender
        self.syncWaiter = syncWaiter
        self.readFile = readFile
        self.zoneLifetime = zoneLifetime
    }

    public func decodeConfiguration(_ block: ConfigValue, at path: ConfigPath, source: ConfigSource) throws(DNS01Error) -> Route53Configuration {
        try Route53Configuration.decode(block, at: path, source: source)
    }

    public func makeProvider(for configuration: Route53Configuration, context: ProviderContext) async throws -> any DNSProvider {
        let chain = CredentialsChain(configuration: configuration, context: context, cache: state.credentials, sender: sender, readFile: readFile)
        let resolved = try await chain.resolve()
        let partition = AWSPartition(region: resolved.region)
        let signer = SigV4Signer(credentials: resolved.credentials, region: partition.route53SigningRegion, service: "route53")
        let endpoint = configuration.endpoint ?? partition.route53Endpoint
        let account = AccountKey(endpoint: endpoint, identity: resolved.identity)
        let client = Route53Client(endpoint: endpoint, signer: signer, sender: sender, pacer: state.pacer(for: account))
        return Route53DNSProvider(
            configuration: configuration, client: client, account: account, state: state,
            zoneFinder: ZoneFinder(cache: state.zones, lifetime: zoneLifetime), syncWaiter: syncWaiter,
            logger: context.logger
        )
    }
}
