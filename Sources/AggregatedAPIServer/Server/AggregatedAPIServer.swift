import Kubernetes
import Logging
import ServiceLifecycle

/// A Kubernetes aggregated API server, as one swift-service-lifecycle `Service`: HTTPS with a
/// reloading serving certificate, authentication and SubjectAccessReview authorization as the
/// kube-apiserver delegates them, discovery, health, metrics and graceful shutdown, around the
/// `APIResource`s it is given. It knows nothing of what those resources do.
///
/// Construction loads what must be right before serving (the serving certificate, the flag
/// CAs), so a mistake stops start-up with a message. `run()` serves until graceful shutdown:
/// then `/readyz` fails, the listener closes, in-flight requests finish (each bounded by the
/// request timeout), and `run()` returns.
public struct AggregatedAPIServer: Service, CustomStringConvertible {
    private let configuration: AggregatedAPIServerConfiguration
    private let apis: ServedAPIs
    private let certificates: ServingCertificateStore
    private let authentication: AuthenticationSettingsStore
    private let readiness: Readiness
    private let responder: ServerResponder
    private let kubernetes: KubernetesClient?
    private let logger: Logger
    private let onListening: @Sendable (Int) async -> Void

    /// - Parameters:
    ///   - resources: what is served under `/apis`; at least one.
    ///   - kubernetes: the cluster connection for the ConfigMap, TokenReview and
    ///     SubjectAccessReview; without one only flag-configured client certificates and
    ///     `system:masters` work. The caller owns (and shuts down) the client.
    ///   - onListening: called with the bound port once the server accepts connections.
    public init(
        configuration: AggregatedAPIServerConfiguration,
        resources: [any APIResource],
        kubernetes: KubernetesClient?,
        metrics: ServerMetrics,
        logger: Logger,
        onListening: @escaping @Sendable (Int) async -> Void = { _ in }
    ) throws {
        guard !resources.isEmpty else { throw AggregatedAPIServerError("an aggregated API server needs at least one resource to serve") }
        guard kubernetes != nil || configuration.authentication.skipLookup || configuration.authentication.coversEverything else {
            throw AggregatedAPIServerError(
                "there is no cluster connection to read kube-system/extension-apiserver-authentication from: run in a cluster, give --kubeconfig, or give --authentication-skip-lookup with --requestheader-client-ca-file and/or --client-ca-file"
            )
        }
        self.configuration = configuration
        self.apis = ServedAPIs(resources)
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
            throw AggregatedAPIServerError(error.message)
        } catch let error as AuthConfigurationError {
            throw AggregatedAPIServerError(error.message)
        }
        readiness = Readiness(certificates: certificates, authentication: authentication)
        responder = ServerResponder(
            apis: apis,
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
            deadlines: RequestDeadlines(timeout: configuration.requestTimeout, timerLoop: configuration.eventLoopGroup.next()),
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
            group: configuration.eventLoopGroup,
            host: configuration.bindAddress,
            port: configuration.securePort,
            certificates: certificates,
            idleTimeout: configuration.idleTimeout,
            requestReadTimeout: configuration.requestReadTimeout,
            shutdownDelay: configuration.shutdownDelay,
            maximumBodyBytes: configuration.maximumBodyBytes,
            logger: logger,
            onListening: { [logger, configuration, apis, onListening] port in
                var metadata: Logger.Metadata = [
                    "address": "\(configuration.bindAddress)", "port": "\(port)",
                    "group": "\(apis.groups.map(\.name).joined(separator: ", "))",
                ]
                // By what the names are called: `solvers=[dispatch, memory]`.
                for resource in apis.groupVersions.flatMap(\.resources) {
                    let key = "\(resource.noun)s"
                    let names = resource.names.map { Logger.MetadataValue.string($0) }
                    if case .array(let earlier)? = metadata[key] { metadata[key] = .array(earlier + names) } else { metadata[key] = .array(names) }
                }
                logger.info("serving", metadata: metadata)
                await onListening(port)
            },
            respond: { await responder.handle($0) }
        )
        let group = ServiceGroup(configuration: .init(services: services + [listener], logger: logger))
        let readiness = self.readiness
        let delay = configuration.shutdownDelay
        try await withGracefulShutdownHandler {
            try await group.run()
        } onGracefulShutdown: {
            logger.info("shutting down: /readyz fails; after the shutdown delay no new connections, and in-flight requests finish", metadata: ["delay": "\(delay)"])
            readiness.markShuttingDown()
        }
    }

    /// What service-lifecycle logs for this service: never the stored properties (they
    /// include the process environment and credentials).
    public var description: String {
        "AggregatedAPIServer(apis: \(apis.groupVersions.map { "\($0.group)/\($0.version)" }.joined(separator: ", ")), port: \(configuration.securePort))"
    }

    private static func versionInfo(_ configuration: AggregatedAPIServerConfiguration) -> DiscoveryDocuments.VersionInfo {
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
public struct AggregatedAPIServerError: Error, Sendable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
