import Logging

/// What a resource is given with a request besides the request itself.
public struct RequestContext: Sendable {
    /// The server's logger; lines written while the request is answered carry its `audit-id`.
    public var logger: Logger
    /// The authenticated user's name.
    public var user: String
    /// The request deadline (`--request-timeout`), and where work the answer waits for runs:
    /// off the connection's event loop (`RequestDeadlines.run`).
    public var deadlines: RequestDeadlines

    public init(logger: Logger, user: String, deadlines: RequestDeadlines) {
        self.logger = logger
        self.user = user
        self.deadlines = deadlines
    }
}
