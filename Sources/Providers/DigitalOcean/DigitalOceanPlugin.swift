import DNS01
import Foundation
import ProviderKit

/// The `digitalocean` plugin: a drop-in for cert-manager's built-in `digitalocean` solver
/// (same block), on DigitalOcean's Domains API with a personal access token.
///
/// The plugin lives as long as the process; its domain lists are cached per endpoint and
/// token digest, so challenges with different tokens share nothing.
public struct DigitalOceanPlugin: ProviderPlugin {
    public typealias Configuration = DigitalOceanConfiguration

    private let transport: any HTTPTransport
    private let retryPolicy: RetryPolicy
    private let requestTimeout: Duration
    private let epochSeconds: @Sendable () -> Double
    private let domainLists = ZoneFinder<DigitalOceanDomain>.Cache()

    /// - Parameters:
    ///   - transport: where requests go (the shared AsyncHTTPClient by default).
    ///   - retryPolicy: backoff for throttling, 5xx and network failures (a rate-limit reset
    ///     later than the backoff is waited for, within the policy's deadline).
    ///   - requestTimeout: per request.
    ///   - epochSeconds: the wall clock, against which `ratelimit-reset` is read.
    public init(
        transport: any HTTPTransport = AsyncHTTPClientTransport(),
        retryPolicy: RetryPolicy = RetryPolicy(),
        requestTimeout: Duration = .seconds(30),
        epochSeconds: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 }
    ) {
        self.transport = transport
        self.retryPolicy = retryPolicy
        self.requestTimeout = requestTimeout
        self.epochSeconds = epochSeconds
    }

    public func decodeConfiguration(_ block: ConfigValue, at path: ConfigPath, source: ConfigSource) throws(DNS01Error) -> DigitalOceanConfiguration {
        try DigitalOceanConfiguration.decode(block, at: path, source: source)
    }

    public func makeProvider(for configuration: DigitalOceanConfiguration, context: ProviderContext) async throws -> any DNSProvider {
        let token = try await DigitalOceanToken.load(configuration, context: context)
        let client = DigitalOceanClient(
            endpoint: configuration.endpoint, token: token, transport: transport, retryPolicy: retryPolicy,
            requestTimeout: requestTimeout, epochSeconds: epochSeconds, logger: context.logger
        )
        return DigitalOceanDNSProvider(
            client: client,
            zones: ZoneFinder(cache: domainLists),
            account: AccountKey(endpoint: configuration.endpoint.description, identity: token.identity),
            logger: context.logger
        )
    }
}
