/// Everything `dns01-webhook serve` is told on its command line, minus the provider config
/// (that is the dispatcher's).
public struct WebhookServerConfiguration: Sendable {
    /// The API group served: `/apis/<groupName>/v1alpha1/<solver>`.
    public var groupName: String
    public var bindAddress: String = "0.0.0.0"
    public var securePort: Int = 8443
    public var certificateFile: String
    public var keyFile: String
    public var authentication: AuthenticationFlags = AuthenticationFlags()
    public var tokenReviewCacheTTL: Duration = .seconds(10)
    public var authorizationAllowedTTL: Duration = .seconds(10)
    public var authorizationDeniedTTL: Duration = .seconds(10)
    public var alwaysAllowPaths: [String] = ["/healthz", "/readyz", "/livez"]
    /// A challenge that takes longer is answered `success:false`, well inside the apiserver's
    /// 60 s proxy timeout.
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
    public var version: String
    public var platform: String

    public init(groupName: String, certificateFile: String, keyFile: String, version: String, platform: String) {
        self.groupName = groupName
        self.certificateFile = certificateFile
        self.keyFile = keyFile
        self.version = version
        self.platform = platform
    }
}
