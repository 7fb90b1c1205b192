import AggregatedAPIServer
import ArgumentParser
import BuiltinProviders
import ChallengeAPI
import ConfigLoading
import DNS01
import Foundation
import Kubernetes
import Logging
import ServiceLifecycle
import WebhookSetup

/// `dns01-webhook serve`: the aggregated API server cert-manager's calls are proxied to.
/// Flag names follow the Kubernetes API server's.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve cert-manager's DNS-01 webhook API (an aggregated Kubernetes API server over HTTPS)."
    )

    // MARK: Serving
    @Option(help: "The API group served (the Issuer's webhook.groupName); default: $GROUP_NAME.")
    var groupName: String?

    @Option(help: "The address to listen on (0.0.0.0, ::, or one address).")
    var bindAddress = "0.0.0.0"

    @Option(help: "The HTTPS port (0 picks a free one).")
    var securePort = 8443

    @Option(help: "The serving certificate (PEM, e.g. tls.crt); reloaded when the file changes.")
    var tlsCertFile: String

    @Option(help: "The serving certificate's private key (PEM, e.g. tls.key); reloaded when the file changes.")
    var tlsPrivateKeyFile: String

    @Option(help: "The default config (YAML or JSON) for Issuers that give none: one provider block or a routing table.")
    var config: String?

    // MARK: Cluster connection
    @Option(help: "Kubeconfig for the Kubernetes API (default: the pod's service account).")
    var kubeconfig: String?

    // MARK: Authentication
    @Option(help: "CA bundle for client certificates (user = CN, groups = O); default: the ConfigMap's client-ca-file.")
    var clientCAFile: String?

    @Option(help: "CA bundle of the front proxy's client certificate; default: the ConfigMap's requestheader-client-ca-file.")
    var requestheaderClientCAFile: String?

    @Option(help: "Comma-separated CNs the front-proxy certificate may have (empty: any).")
    var requestheaderAllowedNames: String?

    @Option(help: "Comma-separated headers naming the user (default X-Remote-User).")
    var requestheaderUsernameHeaders: String?

    @Option(help: "Comma-separated headers naming the groups (default X-Remote-Group).")
    var requestheaderGroupHeaders: String?

    @Option(help: "Comma-separated header prefixes for extra user attributes (default X-Remote-Extra-).")
    var requestheaderExtraHeadersPrefix: String?

    @Option(help: "Comma-separated headers naming the user's UID.")
    var requestheaderUidHeaders: String?

    @Flag(help: "Do not read kube-system/extension-apiserver-authentication; use the flags only.")
    var authenticationSkipLookup = false

    @Option(help: "How long TokenReview answers are cached.")
    var authenticationTokenWebhookCacheTtl: GoDuration = GoDuration(.seconds(10))

    // MARK: Authorization
    @Option(help: "How long allowed SubjectAccessReview answers are cached.")
    var authorizationWebhookCacheAuthorizedTtl: GoDuration = GoDuration(.seconds(10))

    @Option(help: "How long denied SubjectAccessReview answers are cached.")
    var authorizationWebhookCacheUnauthorizedTtl: GoDuration = GoDuration(.seconds(10))

    @Option(help: "Comma-separated paths any authenticated user may GET (a trailing * is a prefix).")
    var authorizationAlwaysAllowPaths = "/healthz,/readyz,/livez"

    // MARK: Operations
    @Option(help: "A challenge taking longer is answered success:false (keep it under the apiserver's 60 s).")
    var requestTimeout: GoDuration = GoDuration(.seconds(25))

    @Option(help: "After SIGTERM, how long in-flight requests may take before the process exits.")
    var shutdownGracePeriod: GoDuration = GoDuration(.seconds(30))

    @Option(help: "After SIGTERM, how long to go on accepting requests, with /readyz failing, before the listener closes (so endpoints stop routing here first); added to the grace period.")
    var shutdownDelayDuration: GoDuration = GoDuration(.zero)

    @Option(help: "Without a cluster connection: where record-name lock files go (default $XDG_STATE_HOME/dns01-webhook).")
    var stateDir: String?

    @Option(help: "Log format: text or json.")
    var logFormat: WebhookLogging.Format = .text

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: Logger.Level = .info

    @Option(help: ArgumentHelp("How often the certificate files are checked for a change.", visibility: .hidden))
    var certificateReloadInterval: GoDuration = GoDuration(.seconds(1))

    @Flag(help: ArgumentHelp("Print {\"port\": N} on stdout once listening (tests, benchmarks).", visibility: .hidden))
    var announce = false

    func validate() throws {
        guard (0...65535).contains(securePort) else { throw ValidationError("--secure-port must be between 0 and 65535") }
        guard requestTimeout.value > .zero else { throw ValidationError("--request-timeout must be positive") }
        guard shutdownDelayDuration.value >= .zero else { throw ValidationError("--shutdown-delay-duration must not be negative") }
        guard resolvedGroupName != nil else { throw ValidationError("--group-name is required (or set GROUP_NAME)") }
    }

    private var resolvedGroupName: String? {
        let name = groupName ?? ProcessInfo.processInfo.environment["GROUP_NAME"]
        return name.flatMap { $0.isEmpty ? nil : $0 }
    }

    func run() async throws {
        let logger = WebhookLogging.bootstrap(format: logFormat, level: logLevel)
        try await runReportingErrors {
            let environment = ProcessInfo.processInfo.environment
            // Read first: a config that does not load stops start-up before anything else.
            let defaultConfig = try config.map { try ConfigDocument.load(path: $0) }
            let kubernetes = try KubernetesConnection.discover(kubeconfig: kubeconfig, environment: environment)
                .map { KubernetesClient(connection: $0, logger: logger) }
            if let kubernetes {
                logger.info("cluster connection", metadata: ["server": "\(kubernetes.connection.server)", "origin": "\(kubernetes.connection.origin)"])
            } else {
                logger.warning("no cluster connection: Secrets, TokenReview and SubjectAccessReview are unavailable; only flag-configured client certificates and system:masters are accepted")
            }
            // Replicas lock record names on Leases for read-modify-write providers.
            let nameLocking = NameLocking.forServe(kubernetes: kubernetes, challengeDeadline: requestTimeout.value, stateDirectory: stateDir, environment: environment, logger: logger)
            await nameLocking.sweepLeftLocks(logger: logger)
            let dispatcher = try ChallengeDispatcher.make(
                registry: .builtIn(),
                config: defaultConfig,
                secrets: kubernetes.map { .cluster($0) } ?? .unavailable(reason: "the server has no cluster connection (--kubeconfig)"),
                state: Self.stateStore(kubernetes, environment: environment),
                logger: logger,
                environment: environment,
                nameLocking: nameLocking
            )
            // A provider the operator configured but the image cannot run (acmesh without its
            // shell tools) stops start-up with what is missing, not the first challenge.
            try await dispatcher.startupChecks()
            let server = try ChallengeWebhook.server(
                configuration: serverConfiguration(),
                groupName: resolvedGroupName ?? "",
                dispatcher: dispatcher,
                kubernetes: kubernetes,
                logger: logger,
                onListening: { [announce] port in
                    if announce { writeLine("{\"port\": \(port)}") }
                }
            )
            var group = ServiceGroupConfiguration(services: [server], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
            group.maximumGracefulShutdownDuration = shutdownDelayDuration.value + shutdownGracePeriod.value
            group.maximumCancellationDuration = .seconds(5)
            try await ServiceGroup(configuration: group).run()
            logger.info("stopped")
        }
    }

    /// Provider state lives in Secrets of the pod's own namespace (`POD_NAMESPACE`, else the
    /// connection's), so CleanUp finds it on any replica; without a cluster, in a local directory.
    static func stateStore(_ kubernetes: KubernetesClient?, environment: [String: String]) -> DispatcherState {
        let namespace = environment["POD_NAMESPACE"].flatMap { $0.isEmpty ? nil : $0 } ?? kubernetes?.connection.namespace
        guard let kubernetes, let namespace else { return .local(environment: environment) }
        return .cluster(kubernetes, namespace: namespace)
    }

    private func serverConfiguration() -> AggregatedAPIServerConfiguration {
        var configuration = AggregatedAPIServerConfiguration(
            certificateFile: tlsCertFile,
            keyFile: tlsPrivateKeyFile,
            version: BuildInfo.version,
            platform: BuildInfo.platform
        )
        configuration.bindAddress = bindAddress
        configuration.securePort = securePort
        configuration.authentication = AuthenticationFlags(
            clientCAFile: clientCAFile,
            requestHeaderClientCAFile: requestheaderClientCAFile,
            requestHeaderAllowedNames: list(requestheaderAllowedNames),
            requestHeaderUsernameHeaders: list(requestheaderUsernameHeaders),
            requestHeaderGroupHeaders: list(requestheaderGroupHeaders),
            requestHeaderExtraHeadersPrefix: list(requestheaderExtraHeadersPrefix),
            requestHeaderUIDHeaders: list(requestheaderUidHeaders),
            skipLookup: authenticationSkipLookup
        )
        configuration.tokenReviewCacheTTL = authenticationTokenWebhookCacheTtl.value
        configuration.authorizationAllowedTTL = authorizationWebhookCacheAuthorizedTtl.value
        configuration.authorizationDeniedTTL = authorizationWebhookCacheUnauthorizedTtl.value
        configuration.alwaysAllowPaths = list(authorizationAlwaysAllowPaths) ?? []
        configuration.requestTimeout = requestTimeout.value
        configuration.shutdownDelay = shutdownDelayDuration.value
        configuration.certificateReloadInterval = certificateReloadInterval.value
        return configuration
    }

    private func list(_ text: String?) -> [String]? {
        text.map { $0.split(separator: ",").map { $0.trimmingWhitespace() }.filter { !$0.isEmpty } }
    }
}

extension WebhookLogging.Format: ExpressibleByArgument {}

/// A Go/Kubernetes-style duration flag value: `25s`, `1m30s`, `500ms`.
struct GoDuration: ExpressibleByArgument, Sendable {
    let value: Duration

    init(_ value: Duration) { self.value = value }

    init?(argument: String) {
        guard let value = Duration(configText: argument) else { return nil }
        self.value = value
    }

    var defaultValueDescription: String { "\(value)" }
}
