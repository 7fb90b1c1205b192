import DNS01
import ProviderKit

/// The `acmeDNS` plugin: a drop-in for cert-manager's built-in `acmeDNS` solver (same block),
/// updating joohoi/acme-dns accounts to which `_acme-challenge.<domain>` is delegated by CNAME.
public struct AcmeDNSPlugin: ProviderPlugin {
    public typealias Configuration = AcmeDNSConfiguration

    private let transport: any HTTPTransport
    private let retryPolicy: RetryPolicy
    private let requestTimeout: Duration

    /// - Parameters:
    ///   - transport: where requests go (the shared AsyncHTTPClient by default).
    ///   - retryPolicy: backoff for throttling, 5xx and network failures.
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

    public func decodeConfiguration(_ block: ConfigValue, at path: ConfigPath, source: ConfigSource) throws(DNS01Error) -> AcmeDNSConfiguration {
        try AcmeDNSConfiguration.decode(block, at: path, source: source)
    }

    public func makeProvider(for configuration: AcmeDNSConfiguration, context: ProviderContext) async throws -> any DNSProvider {
        let accounts = try await AcmeDNSAccounts.load(configuration, context: context)
        let client = AcmeDNSClient(host: configuration.host, transport: transport, retryPolicy: retryPolicy, requestTimeout: requestTimeout, logger: context.logger)
        return AcmeDNSDNSProvider(client: client, accounts: accounts, logger: context.logger)
    }
}
