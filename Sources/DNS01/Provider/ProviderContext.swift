import Logging

/// What a plugin gets to build a provider for one challenge.
public struct ProviderContext: Sendable {
    /// The challenge's `resourceNamespace`; Secret references resolve here and nowhere else.
    public var namespace: String
    public var secrets: any SecretSource
    public var allowAmbientCredentials: Bool
    public var origin: ConfigOrigin
    public var logger: Logger
    /// The process environment (injectable so ambient-credential chains can be tested).
    public var environment: [String: String]
    /// Service-account tokens from the cluster, when there is one.
    public var serviceAccountTokens: (any ServiceAccountTokenSource)?
    /// Where state kept between Present and CleanUp lives (`ProviderStateStore`), when the
    /// process has one.
    public var providerState: (any ProviderStateStore)?

    public init(
        namespace: String,
        secrets: any SecretSource,
        allowAmbientCredentials: Bool,
        origin: ConfigOrigin,
        logger: Logger,
        environment: [String: String],
        serviceAccountTokens: (any ServiceAccountTokenSource)? = nil,
        providerState: (any ProviderStateStore)? = nil
    ) {
        self.namespace = namespace
        self.secrets = secrets
        self.allowAmbientCredentials = allowAmbientCredentials
        self.origin = origin
        self.logger = logger
        self.environment = environment
        self.serviceAccountTokens = serviceAccountTokens
        self.providerState = providerState
    }

    /// Reads a referenced Secret value in the challenge's namespace; an empty value is an error
    /// that names the reference (never the value).
    public func secret(_ reference: SecretReference) async throws -> SecretValue {
        let value = try await secrets.secretValue(reference, namespace: namespace)
        guard !value.isEmpty else {
            throw DNS01Error(.secretNotFound, "secret \(namespace)/\(reference.name) key \"\(reference.key)\" is empty")
        }
        return value
    }
}
