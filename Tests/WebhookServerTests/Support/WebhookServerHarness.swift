import ExecProvider
import DNS01
import Foundation
import Kubernetes
import Logging
import MemoryProvider
import ServiceLifecycle
import Synchronization
import TestSupport
import WebhookServer

/// How a test's in-process server is set up.
struct ServerOptions: Sendable {
    var groupName = "acme.example.com"
    var authentication = AuthenticationFlags()
    var kubeconfig: String?
    var certificateFile = TestPKI.shared["servingACert"]
    var keyFile = TestPKI.shared["servingAKey"]
    var requestTimeout: Duration = .seconds(25)
    var defaultConfig: ConfigValue?
    var certificateReloadInterval: Duration = .milliseconds(100)
    var idleTimeout: Duration = .seconds(90)
    var requestReadTimeout: Duration = .seconds(30)
    /// Also serve the `exec` provider (to prove an Issuer cannot use it).
    var servesExec = false

    /// Client certificates from the pki's cluster CA and the front proxy from its front-proxy
    /// CA, from flags only: no cluster needed (alice is system:masters).
    static var flagsOnly: ServerOptions {
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

/// A `WebhookServer` running in the test process on 127.0.0.1 (real TLS on a real socket),
/// with the `memory` provider's store in reach so a test can see the records it made.
struct RunningServer: Sendable {
    let port: Int
    let records: MemoryRecordStore
    let logs: LogCapture
    var url: String { "https://127.0.0.1:\(port)" }
}

/// Starts a server, runs `body`, then shuts the server down gracefully.
func withWebhookServer<Result: Sendable>(_ options: ServerOptions, _ body: @Sendable (RunningServer) async throws -> Result) async throws -> Result {
    let records = MemoryRecordStore()
    var registry = ProviderRegistry()
    registry.register(MemoryPlugin(store: records))
    if options.servesExec { registry.register(ExecPlugin()) }
    let logs = LogCapture()
    let logger = Logger(label: "webhook-test") { label in logs.handler(label: label) }
    let kubernetes = try options.kubeconfig.map { KubernetesClient(connection: try Kubeconfig.load(path: $0).connection(), logger: logger) }
    let dispatcher = try ChallengeDispatcher(
        registry: registry,
        defaultConfig: options.defaultConfig,
        secrets: kubernetes.map { KubernetesSecretSource(client: $0) } ?? NoSecretSource(reason: "test server without a cluster"),
        logger: logger,
        environment: [:],
        serviceAccountTokens: kubernetes.map { KubernetesServiceAccountTokenSource(client: $0) }
    )
    var configuration = WebhookServerConfiguration(
        groupName: options.groupName,
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
    let (ports, portSink) = AsyncStream.makeStream(of: Int.self)
    let server = try WebhookServer(configuration: configuration, dispatcher: dispatcher, kubernetes: kubernetes, logger: logger) { port in
        portSink.yield(port)
    }
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
final class LogCapture: Sendable {
    private let lines = Mutex<[String]>([])

    func handler(label: String) -> any LogHandler {
        CapturingLogHandler(capture: self)
    }

    func append(_ line: String) { lines.withLock { $0.append(line) } }

    var text: String { lines.withLock { $0.joined(separator: "\n") } }
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
