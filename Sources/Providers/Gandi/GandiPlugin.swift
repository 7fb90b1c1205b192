import DNS01
import ProviderKit

/// The `gandi` plugin: Gandi LiveDNS v5 with a personal access token (or a legacy API key)
/// from a Secret.
///
/// The plugin lives as long as the process: its domain lists are cached per endpoint and
/// credential digest, and its `ValueSetWriter` serializes the read-modify-write of each name.
public struct GandiPlugin: ProviderPlugin {
    public typealias Configuration = GandiConfiguration

    private let transport: any HTTPTransport
    private let retryPolicy: RetryPolicy
    private let requestTimeout: Duration
    private let domainLists = ZoneFinder<GandiDomain>.Cache()
    private let writer = ValueSetWriter<AccountScopedKey<String>>()

    /// - Parameters:
    ///   - transport: where requests go (the shared AsyncHTTPClient by default).
    ///   - retryPolicy: backoff for throttling, 5xx and transient network failures.
    ///   - requestTimeout: per request.
    public init(transport: any HTTPTransport = AsyncHTTPClientTransport(), retryPolicy: RetryPolicy = RetryPolicy(), requestTimeout: Duration = .seconds(30)) {
        self.transport = transport
        self.retryPolicy = retryPolicy
        self.requestTimeout = requestTimeout
    }

    public func decodeConfiguration(_ block: ConfigValue, at path: ConfigPath, source: ConfigSource) throws(DNS01Error) -> GandiConfiguration {
        try GandiConfiguration.decode(block, at: path, source: source)
    }

    public func makeProvider(for configuration: GandiConfiguration, context: ProviderContext) async throws -> any DNSProvider {
        let reference = configuration.apiKeyRef
        let credential = GandiCredential(
            value: try await context.secret(reference),
            type: configuration.apiKeyType,
            origin: "secret \(context.namespace)/\(reference.name) key \"\(reference.key)\""
        )
        let client = GandiClient(
            endpoint: configuration.endpoint, credential: credential, transport: transport, retryPolicy: retryPolicy,
            timeout: requestTimeout, logger: context.logger
        )
        return GandiDNSProvider(
            client: client,
            zones: ZoneFinder(cache: domainLists),
            account: AccountKey(endpoint: configuration.endpoint, identity: credential.identity),
            writer: writer,
            ttl: configuration.ttl,
            logger: context.logger
        )
    }
}
