import DNS01
import Foundation
import PDNSProvider
import ProviderKit
import Synchronization

extension ProviderBenchSubject {
    /// A real pdns_server (Debian's pdns-server with the SQLite backend, as scripts/setup
    /// installs it) on 127.0.0.1; its requests are counted on their way to it.
    static let pdns = ProviderBenchSubject(name: "pdns") {
        let server = try PowerDNSBenchServer()
        let transport = CountingBenchTransport()
        var registry = ProviderRegistry()
        registry.register(PDNSPlugin(transport: transport))
        return ProviderBenchTarget(
            registry: registry,
            config: ["host": .string(server.host), "apiKeySecretRef": ["name": "pdns", "key": "key"]],
            secrets: StaticSecretSource([.init(namespace: "bench", name: "pdns"): ["key": SecretValue(PowerDNSBenchServer.apiKey)]]),
            zone: try DomainName("example.com"),
            apiCalls: { transport.count }, stop: { server.stop() }
        )
    }
}

/// Counts requests; pdns_server keeps no per-client count.
final class CountingBenchTransport: HTTPTransport {
    private let inner = AsyncHTTPClientTransport()
    private let sent = Atomic<Int>(0)
    var count: Int { sent.load(ordering: .relaxed) }

    func send(_ request: APIRequest, timeout: Duration) async throws -> APIResponse {
        sent.add(1, ordering: .relaxed)
        return try await inner.send(request, timeout: timeout)
    }
}

/// pdns_server from a private directory: SQLite database, `example.com` made with pdnsutil
/// before it starts, API and DNS on free loopback ports, caches off.
final class PowerDNSBenchServer: Sendable {
    static let apiKey = "pdns-bench-api-key"
    let apiPort: Int
    let directory: String
    private let child: LockedBenchChild

    init() throws {
        directory = NSTemporaryDirectory() + "pdns-bench-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let schema = "/usr/share/pdns-backend-sqlite3/schema/schema.sqlite3.sql"
        guard FileManager.default.fileExists(atPath: schema) else { throw BenchError("pdns-backend-sqlite3 is not installed (scripts/setup installs it)") }
        try Self.run("/bin/sh", ["-c", "sqlite3 \"$0\" < \"$1\"", "\(directory)/pdns.sqlite3", schema])
        apiPort = try ChildProcess.freePort()
        let dnsPort = try ChildProcess.freePort()
        try """
        launch=gsqlite3
        gsqlite3-database=\(directory)/pdns.sqlite3
        local-address=127.0.0.1
        local-port=\(dnsPort)
        api=yes
        api-key=\(Self.apiKey)
        webserver=yes
        webserver-address=127.0.0.1
        webserver-port=\(apiPort)
        webserver-allow-from=127.0.0.1
        zone-cache-refresh-interval=0
        cache-ttl=0
        negquery-cache-ttl=0
        query-cache-ttl=0

        """.write(toFile: "\(directory)/pdns.conf", atomically: true, encoding: .utf8)
        try Self.run("/usr/bin/pdnsutil", ["--config-dir=\(directory)", "create-zone", "example.com", "ns1.example.com"])
        child = LockedBenchChild(
            try ChildProcess(
                "/usr/sbin/pdns_server",
                [
                    "--config-dir=\(directory)", "--guardian=no", "--daemon=no", "--disable-syslog", "--socket-dir=\(directory)", "--write-pid=no",
                ], announces: false))
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            if (try? Self.run("/usr/bin/curl", ["-sf", "--max-time", "1", "-H", "X-API-Key: \(Self.apiKey)", "\(host)/api/v1/servers/localhost"])) != nil { return }
            usleep(100_000)
        }
        stop()
        throw BenchError("pdns_server did not start")
    }

    var host: String { "http://127.0.0.1:\(apiPort)" }

    func stop() {
        child.stop()
        try? FileManager.default.removeItem(atPath: directory)
    }

    private static func run(_ executable: String, _ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw BenchError("\(executable) failed") }
    }
}

/// `ChildProcess` is not Sendable; it is only stopped, once, under a lock.
private final class LockedBenchChild: @unchecked Sendable {
    // @unchecked: `child` is touched only in `stop`, serialised by `lock`.
    private let lock = NSLock()
    private var child: ChildProcess?
    init(_ child: ChildProcess) { self.child = child }
    func stop() {
        lock.lock()
        defer { lock.unlock() }
        child?.stop()
        child = nil
    }
}
