import DNS01
import ProviderKit

/// The `ovh` plugin: the OVHcloud API (`/1.0`) with application keys (`$1$` signatures, the
/// server's clock from `/auth/time`) or an OAuth2 service account.
///
/// The plugin lives as long as the process; its zone lists are cached per endpoint and
/// credential identity, clock offsets per endpoint, OAuth2 tokens per client.
public struct OVHPlugin: ProviderPlugin {
    public typealias Configuration = OVHConfiguration

    private let transport: any HTTPTransport
    private let retryPolicy: RetryPolicy
    private let environment: OVHEnvironment
    private let state = OVHPluginState()

    /// - Parameters:
    ///   - transport: where requests go (the shared AsyncHTTPClient by default).
    ///   - retryPolicy: backoff for throttling, 5xx and transient network failures.
    ///   - environment: the wall clock and per-request timeout.
    public init(transport: any HTTPTransport = AsyncHTTPClientTransport(), retryPolicy: RetryPolicy = RetryPolicy(), environment: OVHEnvironment = OVHEnvironment()) {
        self.transport = transport
        self.retryPolicy = retryPolicy
        self.environment = environment
    }

    public func decodeConfiguration(_ block: ConfigValue, at path: ConfigPath, source: ConfigSource) throws(DNS01Error) -> OVHConfiguration {
        try OVHConfiguration.decode(block, at: path, source: source)
    }

    public func makeProvider(for configuration: OVHConfiguration, context: ProviderContext) async throws -> any DNSProvider {
        let authenticator = try await authenticator(for: configuration, context: context)
        let client = OVHClient(
            endpoint: configuration.endpoint, authenticator: authenticator, transport: transport, retryPolicy: retryPolicy,
            environment: environment, clockOffsets: state.clockOffsets, logger: context.logger
        )
        return OVHDNSProvider(
            client: client,
            zones: ZoneFinder(cache: state.zoneLists),
            state: state,
            account: AccountKey(endpoint: configuration.endpoint.url, identity: authenticator.identity),
            ttl: configuration.ttl,
            logger: context.logger
        )
    }

    private func authenticator(for configuration: OVHConfiguration, context: ProviderContext) async throws -> OVHAuthenticator {
        var names: [String] = []
        func read(_ value: OVHConfiguration.Value) async throws -> String {
            switch value {
            case .literal(let text): return text
            case .secret(let reference):
                if !names.contains(reference.name) { names.append(reference.name) }
                return try await context.secret(reference).text
            }
        }
        switch configuration.authentication {
        case .application(let key, let secretRef, let consumer):
            let applicationKey = try await read(key)
            let secret = try await read(.secret(secretRef))
            let consumerKey = try await read(consumer)
            return .application(applicationKey: applicationKey, signer: OVHSignature(applicationSecret: secret, consumerKey: consumerKey), origin: Self.origin(names, context))
        case .oauth2(let clientIDRef, let clientSecretRef, let tokenURL):
            let clientID = try await read(.secret(clientIDRef))
            if !names.contains(clientSecretRef.name) { names.append(clientSecretRef.name) }
            let clientSecret = try await context.secret(clientSecretRef)
            return .oauth2(
                OVHOAuth2TokenSource(
                    tokenURL: tokenURL, clientID: clientID, clientSecret: clientSecret, origin: Self.origin(names, context),
                    cache: state.tokens, transport: transport, timeout: environment.requestTimeout
                ))
        }
    }

    /// "secret ns/a" or "secrets ns/a, ns/b"; "the config" when every value was inline.
    private static func origin(_ names: [String], _ context: ProviderContext) -> String {
        guard !names.isEmpty else { return "the config" }
        return (names.count == 1 ? "secret " : "secrets ") + names.map { "\(context.namespace)/\($0)" }.joined(separator: ", ")
    }
}
