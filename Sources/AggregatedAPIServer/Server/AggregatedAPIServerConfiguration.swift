import NIOCore
import NIOPosix

/// How an aggregated API server serves: everything `dns01-webhook serve` is told on its
/// command line about serving, authentication and lifecycle (what it serves is its
/// `APIResource`s).
public struct AggregatedAPIServerConfiguration: Sendable {
    public var bindAddress: String = "0.0.0.0"
    public var securePort: Int = 8443
    public var certificateFile: String
    public var keyFile: String
    public var authentication: AuthenticationFlags = AuthenticationFlags()
    public var tokenReviewCacheTTL: Duration = .seconds(10)
    public var authorizationAllowedTTL: Duration = .seconds(10)
    public var authorizationDeniedTTL: Duration = .seconds(10)
    public var alwaysAllowPaths: [String] = ["/healthz", "/readyz", "/livez"]
    /// Work a resource runs through `RequestDeadlines` that takes longer is given up (the
    /// answer says so), well inside the apiserver's 60 s proxy timeout.
    public var requestTimeout: Duration = .seconds(25)
    public var maximumBodyBytes: Int = 1 << 20
    /// How often the serving certificate files are checked for a change.
    public var certificateReloadInterval: Duration = .seconds(1)
    /// Idle keep-alive connections are closed after this long.
    public var idleTimeout: Duration = .seconds(90)
    /// A request must arrive whole within this long of its first byte (a slow-sending client is
    /// closed, however steadily it trickles).
    public var requestReadTimeout: Duration = .seconds(30)
    /// After graceful shutdown begins, new connections are still accepted and answered this
    /// long, with `/readyz` failing, so the Service's endpoints and the aggregator stop sending
    /// here before the listener closes (the generic API server's `--shutdown-delay-duration`).
    public var shutdownDelay: Duration = .zero
    /// The event loops that accept connections and do their I/O (one thread each); every
    /// connection's requests are answered on its loop. Default: NIO's shared group, one loop
    /// per core.
    public var eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    /// What `/version` reports.
    public var version: String
    public var platform: String

    public init(certificateFile: String, keyFile: String, version: String, platform: String) {
        self.certificateFile = certificateFile
        self.keyFile = keyFile
        self.version = version
        self.platform = platform
    }
}
