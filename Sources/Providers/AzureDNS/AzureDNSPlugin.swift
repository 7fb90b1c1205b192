import DNS01
import Foundation
import ProviderKit

/// The `azureDNS` plugin: a drop-in for cert-manager's built-in `azureDNS` solver (same
/// block), on Azure Resource Manager with a service principal's client secret, workload
/// identity or a managed identity.
///
/// The plugin lives as long as the process; access tokens are cached per identity, zone lists
/// per identity and resource group, and record-set writes are serialized per identity and
/// name, so challenges acting as different identities share nothing.
public struct AzureDNSPlugin: ProviderPlugin {
    public typealias Configuration = AzureDNSConfiguration

    private let transport: any HTTPTransport
    private let retryPolicy: RetryPolicy
    private let conflictRetryPolicy: RetryPolicy
    private let requestTimeout: Duration
    private let readFile: @Sendable (String) throws -> String
    private let tokens = ExpiringCache<AccountKey, AzureAccessToken>()
    private let zoneLists = ZoneFinder<AzureZone>.Cache()
    private let writer = ValueSetWriter<AccountScopedKey<String>>()

    /// - Parameters:
    ///   - transport: where requests go (the shared AsyncHTTPClient by default).
    ///   - retryPolicy: backoff for throttling, 5xx and network failures (a `Retry-After`
    ///     longer than the backoff is waited for, within the policy's deadline).
    ///   - conflictRetryPolicy: how often, and after how long, a write that lost a race (412)
    ///     is read and tried again.
    ///   - requestTimeout: per request.
    ///   - readFile: reads workload identity's token file (tests count the reads).
    public init(
        transport: any HTTPTransport = AsyncHTTPClientTransport(),
        retryPolicy: RetryPolicy = RetryPolicy(),
        conflictRetryPolicy: RetryPolicy = RetryPolicy(maximumAttempts: 10, baseDelay: .milliseconds(20), maximumDelay: .milliseconds(500)),
        requestTimeout: Duration = .seconds(30),
        readFile: @escaping @Sendable (String) throws -> String = { path in try String(contentsOfFile: path, encoding: .utf8) }
    ) {
        self.transport = transport
        self.retryPolicy = retryPolicy
        self.conflictRetryPolicy = conflictRetryPolicy
        self.requestTimeout = requestTimeout
        self.readFile = readFile
    }

    public func decodeConfiguration(_ block: ConfigValue, at path: ConfigPath, source: ConfigSource) throws(DNS01Error) -> AzureDNSConfiguration {
        try AzureDNSConfiguration.decode(block, at: path, source: source)
    }

    public func makeProvider(for configuration: AzureDNSConfiguration, context: ProviderContext) async throws -> any DNSProvider {
        let identity = try await AzureIdentityResolver.resolve(configuration, context: context)
        let tokenSource = AzureTokenSource(
            identity: identity, cloud: configuration.cloud, cache: tokens, transport: transport, retryPolicy: retryPolicy,
            requestTimeout: requestTimeout, logger: context.logger, readFile: readFile)
        let client = AzureDNSClient(
            endpoint: configuration.endpoint, subscriptionID: configuration.subscriptionID, resourceGroup: configuration.resourceGroupName,
            tokens: tokenSource, transport: transport, retryPolicy: retryPolicy, requestTimeout: requestTimeout, logger: context.logger)
        let group = "\(configuration.endpoint)/subscriptions/\(configuration.subscriptionID.lowercased())/resourceGroups/\(configuration.resourceGroupName.lowercased())"
        let key = identity.cacheKey
        return AzureDNSDNSProvider(
            client: client, configuration: configuration, identity: identity, zones: ZoneFinder(cache: zoneLists),
            zoneAccount: AccountKey(endpoint: group, identity: "\(key.endpoint)|\(key.identity)"),
            writer: writer, conflictRetryPolicy: conflictRetryPolicy, logger: context.logger)
    }
}
