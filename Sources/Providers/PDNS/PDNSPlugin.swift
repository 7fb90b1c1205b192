import Crypto
import DNS01
import ProviderKit

/// The `pdns` plugin: PowerDNS Authoritative's HTTP API (`/api/v1`) with an API key from a
/// Secret. The server is the operator's own: an Issuer may name its `host` only under the
/// operator's `issuerPolicy.allowedEndpoints`.
///
/// The plugin lives as long as the process; zone lists, server versions and the per-name
/// writer are kept per server URL and API key digest.
public struct PDNSPlugin: ProviderPlugin {
    public typealias Configuration = PDNSConfiguration

    private let transport: (any HTTPTransport)?
    private let retryPolicy: RetryPolicy
    private let state = PDNSPluginState()

    /// - Parameters:
    ///   - transport: where requests go; `nil` (the default): the shared AsyncHTTPClient, or a
    ///     client trusting only the config's `caBundle` when it has one.
    ///   - retryPolicy: backoff for throttling, 502/503/504 and transient network failures.
    public init(transport: (any HTTPTransport)? = nil, retryPolicy: RetryPolicy = RetryPolicy()) {
        self.transport = transport
        self.retryPolicy = retryPolicy
    }

    public func decodeConfiguration(_ block: ConfigValue, at path: ConfigPath, source: ConfigSource) throws(DNS01Error) -> PDNSConfiguration {
        try PDNSConfiguration.decode(block, at: path, source: source)
    }

    public func makeProvider(for configuration: PDNSConfiguration, context: ProviderContext) async throws -> any DNSProvider {
        let reference = configuration.apiKeyRef
        let key = try await context.secret(reference)
        let headerValue = configuration.apiKeyScheme.isEmpty ? key.text : "\(configuration.apiKeyScheme) \(key.text)"
        var headers = [APIRequest.Header(configuration.apiKeyHeaderName, headerValue)]
        // Configured headers come after the key's, and the client lets later headers of one
        // name replace earlier ones: as in the webhook, `headers` may override everything.
        headers += configuration.headers.map { APIRequest.Header($0.name, $0.value) }
        let serverURL = "\(configuration.host)/api/v1/servers/\(PercentEncoding.rfc3986(configuration.serverID))"
        let client = PDNSClient(serverURL: serverURL, host: configuration.host, headers: headers, retryPolicy: retryPolicy, timeout: configuration.timeout, logger: context.logger)
        let transport: PDNSTransport
        if let injected = self.transport {
            transport = .shared(injected)
        } else if let pem = configuration.caBundle {
            transport = .privateCA(try PDNSTransport.certificates(pem, field: "pdns caBundle"))
        } else {
            transport = .shared(AsyncHTTPClientTransport())
        }
        let identity = "key:" + Array(Array(SHA256.hash(data: Array(headerValue.utf8))).prefix(16)).hexString
        let keyOrigin = "secret \(context.namespace)/\(reference.name) key \"\(reference.key)\""
        let keyHeader = configuration.apiKeyScheme.isEmpty ? configuration.apiKeyHeaderName : "\(configuration.apiKeyHeaderName) (\(configuration.apiKeyScheme) scheme)"
        return PDNSDNSProvider(
            client: client,
            transport: transport,
            state: state,
            account: AccountKey(endpoint: serverURL, identity: identity),
            ttl: configuration.ttl,
            allowedZones: configuration.allowedZones,
            messages: PDNSErrorMessages.Context(name: "", host: configuration.host, serverID: configuration.serverID, keyOrigin: keyOrigin, keyHeader: keyHeader, secrets: [key]),
            logger: context.logger
        )
    }
}
