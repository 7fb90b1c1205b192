import DNS01
import Kubernetes
import Logging
import ServiceLifecycle

/// `dns01-webhook serve`: the aggregated API server, as one swift-service-lifecycle `Service`.
///
/// Construction loads what must be right before serving (the serving certificate, the flag
/// CAs), so a mistake stops start-up with a message. `run()` serves until graceful shutdown:
/// then `/readyz` fails, the listener closes, in-flight requests finish (each bounded by the
/// request timeout), and `run()` returns.
public struct WebhookServer: Service, CustomStringConvertible {
    private let configuration: WebhookServerConfiguration
    private let certificates: ServingCertificateStore
    private let authentication: AuthenticationSettingsStore
    private let readiness: Readiness
    private let responder: WebhookResponder
    private let kubernetes: KubernetesClient?
    private let logger: Logger
    private let onListening: @Sendable (Int) async -> Void

    /// - Parameters:
    ///   - kubernetes: the cluster connection for the ConfigMap, TokenReview and
    ///     SubjectAccessReview; without one only flag-configured client certificates and
    ///     `system:masters` work. The caller owns (and shuts down) the client.
    ///   - onListening: called with the bound port once the server accepts connections.
    public init(
        configuration: WebhookServerConfiguration,
        dispatcher: ChallengeDispatcher,
        kubernetes: KubernetesClient?,
        metrics: WebhookMetrics = WebhookMetrics(),
        logger: Logger,
        onListening: @escaping @Sendable (Int) async -> Void = { _ in }
    ) throws {
        guard kubernetes != nil || configuration.authentication.skipLookup || configuration.authentication.coversEverything else {
            throw WebhookServerError(
                "there is no cluster connection to read kube-system/extension-apiserver-authentication from: run in a cluster, give --kubeconfig, or give --authentication-skip-lookup with --requestheader-client-ca-file and/or --client-ca-file"
            )
        }
        self.configuration = configuration
        self.kubernetes = kubernetes
        var logger = logger
        if logger.handler.metadataProvider == nil {
            logger.handler.metadataProvider = RequestLogMetadata.provider
        }
        self.logger = logger
        self.onListening = onListening
        do {
            certificates = try ServingCertificateStore(
                certificateFile: configuration.certificateFile,
                keyFile: configuration.keyFile,
                logger: logger,
                onChange: { metrics.servingCertificateLoaded(notAfter: $0.notAfter) }
            )
            authentication = try AuthenticationSettingsStore(flags: configuration.authentication, logger: logger)
        } catch let error as ServingCertificateError {
            throw WebhookServerError(error.message)
        } catch let error as AuthConfigurationError {
            throw WebhookServerError(error.message)
        }
        readiness = Readiness(certificates: certificates, authentication: authentication)
        responder = WebhookResponder(
            groupName: configuration.groupName,
            authenticator: Authenticator(
                settings: authentication,
                tokenReviewer: kubernetes.map { TokenReviewer(client: $0, cacheTTL: configuration.tokenReviewCacheTTL) }
            ),
            authorizer: Authorizer(
                client: kubernetes,
                settings: .init(
                    alwaysAllowPaths: configuration.alwaysAllowPaths,
                    allowedTTL: configuration.authorizationAllowedTTL,
                    deniedTTL: configuration.authorizationDeniedTTL
                )
            ),
            challenges: ChallengeHandler(
                dispatcher: dispatcher,
                deadlines: RequestDeadlines(timeout: configuration.requestTimeout),
                metrics: metrics
            ),
            health: HealthHandler(readiness: readiness),
            maximumBodyBytes: configuration.maximumBodyBytes,
            metrics: metrics,
            version: Self.versionInfo(configuration),
            logger: logger
        )
    }

    public func run() async throws {
        var services: [any Service] = [ServingCertificateReloader(store: certificates, authentication: authentication, interval: configuration.certificateReloadInterval)]
        if let kubernetes, !configuration.authentication.skipLookup, !configuration.authentication.coversEverything {
            services.append(AuthenticationConfigWatcher(client: kubernetes, store: authentication, logger: logger))
        }
        let responder = self.responder
        let logger = self.logger
        let listener = HTTPSListener(
            host: configuration.bindAddress,
            port: configuration.securePort,
            certificates: certificates,
            idleTimeout: configuration.idleTimeout,
            requestReadTimeout: configuration.requestReadTimeout,
            shutdownDelay: configuration.shutdownDelay,
            maximumBodyBytes: configuration.maximumBodyBytes,
            logger: logger,
            onListening: { [logger, configuration, onListening] port in
                logger.info("serving", metadata: [
                    "address": "\(configuration.bindAddress)", "port": "\(port)", "group": "\(configuration.groupName)",
                    "solvers": .array(responder.challenges.dispatcher.solverNames.map { .string($0) }),
                ])
                await onListening(port)
            },
            respond: { await responder.handle($0) }
        )
        let group = ServiceGroup(configuration: .init(services: services + [listener], logger: logger))
        let readiness = self.readiness
        try await withGracefulShutdownHandler {
            try await group.run()
        } onGracefulShutdown: {
            logger.info("shutting down: /readyz fails; after the shutdown delay no new connections, and in-flight requests finish", metadata: ["delay": "\(configuration.shutdownDelay)"])
            readiness.markShuttingDown()
        }
    }

    /// What service-lifecycle logs for this service: never the stored properties (they
    /// include the process environment and credentials).
    public var description: String { "WebhookServer(group: \(configuration.groupName), port: \(configuration.securePort))" }

    private static func versionInfo(_ configuration: WebhookServerConfiguration) -> DiscoveryDocuments.VersionInfo {
        let parts = configuration.version.split(separator: ".")
        return DiscoveryDocuments.VersionInfo(
            major: parts.first.map(String.init) ?? "0",
            minor: parts.count > 1 ? String(parts[1]) : "0",
            gitVersion: "v\(configuration.version)",
            platform: configuration.platform
        )
    }
}

/// A start-up problem of the server, worded for the operator.
public struct WebhookServerError: Error, Sendable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
