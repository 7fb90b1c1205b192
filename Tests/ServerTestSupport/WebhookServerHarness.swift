import AggregatedAPIServer
import ChallengeAPI
import DNS01
import ExecProvider
import Foundation
import Kubernetes
import Logging
import MemoryProvider
import NIOPosix
import ServiceLifecycle
import Synchronization
import TestSupport
import WebhookSetup

/// How a test's in-process server is set up.
public struct ServerOptions: Sendable {
    public var groupName = "acme.example.com"
    public var authentication = AuthenticationFlags()
    public var kubeconfig: String?
    public var certificateFile = TestPKI.shared["servingACert"]
    public var keyFile = TestPKI.shared["servingAKey"]
    public var requestTimeout: Duration = .seconds(25)
    public var defaultConfig: ConfigValue?
    public var certificateReloadInterval: Duration = .milliseconds(100)
    public var idleTimeout: Duration = .seconds(90)
    public var requestReadTimeout: Duration = .seconds(30)
    /// Also serve the `exec` provider (to prove an Issuer cannot use it).
    public var servesExec = false
    /// More plugins to serve besides `memory`.
    public var plugins: [any ProviderPlugin] = []
    /// Serve on an event loop group of this many threads of its own (`nil`: NIO's shared group).
    public var eventLoopThreads: Int?

    public init() {}

    /// Client certificates from the pki's cluster CA and the front proxy from its front-proxy
    /// CA, from flags only: no cluster needed (alice is system:masters).
    public static var flagsOnly: ServerOptions {
        var options = ServerOptions()
        options.authentication = AuthenticationFlags(
            clientCAFile: TestPKI.shared["clusterCACert"],
            requestHeaderClientCAFile: TestPKI.shared["frontProxyCACert"],
            requestHeaderAllowedNames: ["front-proxy-client"],
            skipLookup: true
        )
        return options
    }
}

/// dns01-webhook's server running in the test process on 127.0.0.1 (real TLS on a real
/// socket), with the `memory` provider's store in reach so a test can see the records it made.
public struct RunningServer: Sendable {
    public let port: Int
    public let records: MemoryRecordStore
    public let logs: LogCapture
    public var url: String { "https://127.0.0.1:\(port)" }
}

/// Starts a server, built as `serve` builds it, runs `body`, then shuts the server down
/// gracefully.
public func withWebhookServer<Result: Sendable>(_ options: ServerOptions, _ body: @Sendable (RunningServer) async throws -> Result) async throws -> Result {
    let records = MemoryRecordStore()
    var registry = ProviderRegistry()
    registry.register(MemoryPlugin(store: records))
    if options.servesExec { registry.register(ExecPlugin()) }
    for plugin in options.plugins { registry.register(plugin) }
    let logs = LogCapture()
    let (ports, portSink) = AsyncStream.makeStream(of: Int.self)
    let logger = Logger(label: "webhook-test") { label in logs.handler(label: label) }
    let kubernetes = try options.kubeconfig.map { KubernetesClient(connection: try Kubeconfig.load(path: $0).connection(), logger: logger) }
    let dispatcher = try ChallengeDispatcher.make(
        registry: registry,
        config: options.defaultConfig,
        secrets: kubernetes.map { .cluster($0) } ?? .unavailable(reason: "test server without a cluster"),
        logger: logger,
        environment: [:]
    )
    var configuration = AggregatedAPIServerConfiguration(
        certificateFile: options.certificateFile,
        keyFile: options.keyFile,
        version: "1.2.3",
        platform: "test/test"
    )
    configuration.bindAddress = "127.0.0.1"
    configuration.securePort = 0
    configuration.authentication = options.authentication
    configuration.requestTimeout = options.requestTimeout
    configuration.certificateReloadInterval = options.certificateReloadInterval
    configuration.idleTimeout = options.idleTimeout
    configuration.requestReadTimeout = options.requestReadTimeout
    let ownLoops = options.eventLoopThreads.map { MultiThreadedEventLoopGroup(numberOfThreads: $0) }
    if let ownLoops { configuration.eventLoopGroup = ownLoops }
    let server = try ChallengeWebhook.server(
        configuration: configuration, groupName: options.groupName, dispatcher: dispatcher, kubernetes: kubernetes, logger: logger
    ) { port in
        portSink.yield(port)
    }
    do {
        let result = try await run(server, logger: logger, logs: logs, records: records, ports: ports, portSink: portSink, body)
        try? await ownLoops?.shutdownGracefully()
        return result
    } catch {
        try? await ownLoops?.shutdownGracefully()
        throw error
    }
}

private func run<Result: Sendable>(
    _ server: AggregatedAPIServer, logger: Logger, logs: LogCapture, records: MemoryRecordStore, ports: AsyncStream<Int>, portSink: AsyncStream<Int>.Continuation,
    _ body: @Sendable (RunningServer) async throws -> Result
) async throws -> Result {
    let group = ServiceGroup(services: [server], logger: logger)
    return try await withThrowingTaskGroup(of: Void.self) { tasks in
        tasks.addTask {
            defer { portSink.finish() }
            try await group.run()
        }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else {
            try await tasks.waitForAll()
            throw PeerError("the webhook server stopped before listening; logs:\n\(logs.text)")
        }
        do {
            let result = try await body(RunningServer(port: port, records: records, logs: logs))
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
            return result
        } catch {
            await group.triggerGracefulShutdown()
            try? await tasks.waitForAll()
            throw error
        }
    }
}

/// Keeps every log line a test server writes, so tests can check what is (not) logged.
public final class LogCapture: Sendable {
    private let lines = Mutex<[String]>([])

    public init() {}

    public func handler(label: String) -> any LogHandler {
        CapturingLogHandler(capture: self)
    }

    public func append(_ line: String) { lines.withLock { $0.append(line) } }

    public var text: String { lines.withLock { $0.joined(separator: "\n") } }
}

private struct CapturingLogHandler: LogHandler {
    let capture: LogCapture
    var metadata: Logger.Metadata = [:]
    var metadataProvider: Logger.MetadataProvider?
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let fields = metadata.merging(metadataProvider?.get() ?? [:]) { $1 }.merging(event.metadata ?? [:]) { $1 }
        capture.append("\(event.level) \(event.message) \(fields.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "))")
    }
}
