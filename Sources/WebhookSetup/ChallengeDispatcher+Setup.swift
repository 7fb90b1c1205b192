import ConfigLoading
import DNS01
import Foundation
import Kubernetes
import Logging

/// Where a dispatcher reads the Secrets that configs reference.
public enum DispatcherSecrets: Sendable {
    /// Kubernetes `Secret` manifests in a file (`--secrets`), as `kubectl get secret -o yaml`
    /// writes them; a manifest without a namespace lands in `defaultNamespace`.
    case manifestFile(path: String, defaultNamespace: String)
    /// The cluster: Secrets, and service-account tokens for web-identity credentials.
    case cluster(KubernetesClient)
    /// None: a config that references a Secret fails with `reason`.
    case unavailable(reason: String)
}

/// Where providers keep state between Present and CleanUp (`ProviderStateStore`).
public enum DispatcherState: Sendable {
    /// A local directory: the CLI, whose `present` and `cleanup` are separate processes.
    case localDirectory(String)
    /// Secrets in the webhook's own namespace: `serve`, whose CleanUp may land on another
    /// replica or after a restart.
    case cluster(KubernetesClient, namespace: String)

    /// The CLI's: `LocalStateStore.defaultDirectory`.
    public static func local(environment: [String: String]) -> DispatcherState {
        .localDirectory(LocalStateStore.defaultDirectory(environment: environment))
    }

    var store: any ProviderStateStore {
        switch self {
        case .localDirectory(let directory): LocalStateStore(directory: directory)
        case .cluster(let client, let namespace): KubernetesStateStore(client: client, namespace: namespace)
        }
    }
}

extension ChallengeDispatcher {
    /// The dispatcher of `dns01-webhook serve`, `present`, `cleanup` and `check`: one way to
    /// build it, so a challenge behaves the same whichever way it arrives.
    ///
    /// - Parameters:
    ///   - configPath: the operator's config file (YAML or JSON): the default routing table and
    ///     `issuerPolicy`; `nil` for none.
    ///   - state: where providers keep state between Present and CleanUp; `nil`: the CLI's
    ///     local directory (`LocalStateStore.defaultDirectory`).
    ///   - solver: for the CLI's `--solver NAME`: the file may then hold NAME's block bare, as
    ///     an Issuer's config would. `nil` (serve): the file is taken as it is.
    ///   - nameLocking: the record-name lock for read-modify-write providers
    ///     (`NameLocking.forServe`, `.forCommandLine`); `nil`: within this process only.
    public static func make(
        registry: ProviderRegistry,
        configPath: String?,
        solver: String? = nil,
        secrets: DispatcherSecrets,
        state: DispatcherState? = nil,
        logger: Logger,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        nameLocking: NameLocking? = nil
    ) throws -> ChallengeDispatcher {
        try make(
            registry: registry,
            config: try configPath.map { try ConfigDocument.load(path: $0) },
            solver: solver,
            secrets: secrets,
            state: state,
            logger: logger,
            environment: environment,
            nameLocking: nameLocking
        )
    }

    /// The same from a config document already read.
    public static func make(
        registry: ProviderRegistry,
        config: ConfigValue?,
        solver: String? = nil,
        secrets: DispatcherSecrets,
        state: DispatcherState? = nil,
        logger: Logger,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        nameLocking: NameLocking? = nil
    ) throws -> ChallengeDispatcher {
        var document = config
        if let solver, let config {
            document = RoutingTable.document(config, forSolver: solver, registry: registry)
        }
        let source: any SecretSource
        var tokens: (any ServiceAccountTokenSource)?
        switch secrets {
        case .manifestFile(let path, let defaultNamespace):
            source = try SecretManifestSource(path: path, defaultNamespace: defaultNamespace)
        case .cluster(let client):
            source = KubernetesSecretSource(client: client)
            tokens = KubernetesServiceAccountTokenSource(client: client)
        case .unavailable(let reason):
            source = NoSecretSource(reason: reason)
        }
        return try ChallengeDispatcher(
            registry: registry,
            defaultConfig: document,
            secrets: source,
            logger: logger,
            environment: environment,
            serviceAccountTokens: tokens,
            nameLocking: nameLocking,
            providerState: (state ?? .local(environment: environment)).store
        )
    }
}
