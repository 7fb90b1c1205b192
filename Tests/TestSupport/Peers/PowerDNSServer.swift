import Foundation

/// A real PowerDNS Authoritative server (Debian's `pdns-server` with the `gsqlite3` backend
/// from `pdns-backend-sqlite3`) on 127.0.0.1, with its HTTP API enabled, serving zones the
/// test names. Like `KnotServer`, it runs from a private directory (config, SQLite database,
/// control socket) and is stopped by the test.
///
/// The zones are created with `pdnsutil` before the server starts (a zone created while it
/// runs stays REFUSED over DNS until the zone cache refreshes), and every cache is off, so DNS
/// answers show an API change at once.
public final class PowerDNSServer: @unchecked Sendable {
    // @unchecked: set up once in init, then only read.
    public let apiPort: Int
    public let dnsPort: Int
    public let apiKey: String
    public let directory: String
    /// What the server reports as its version (`4.7.3` on Debian bookworm).
    public let version: String
    private let peer: PeerProcess

    /// Starts a server holding `zones` (`example.com`), each with its SOA and an NS record.
    public static func start(zones: [String], apiKey: String = "pdns-test-api-key") async throws -> PowerDNSServer {
        try await offloaded { try PowerDNSServer(zones: zones, apiKey: apiKey) }
    }

    private init(zones: [String], apiKey: String) throws {
        let pdnsServer = try PeerProcess.which("pdns_server")
        let pdnsutil = try PeerProcess.which("pdnsutil")
        let schema = try Self.schemaFile()
        directory = try makeTemporaryDirectory("pdns")
        self.apiKey = apiKey
        let database = "\(directory)/pdns.sqlite3"
        let created = try runCommandBlocking("/bin/sh", ["-c", "sqlite3 \"$0\" < \"$1\"", database, schema])
        guard created.status == 0 else { throw PeerError("sqlite3 could not create the PowerDNS schema: \(created.stderr)") }

        var lastError = ""
        for _ in 0..<4 {
            let dnsPort = Int.random(in: 20_000...40_000)
            let apiPort = Int.random(in: 40_001...60_000)
            try """
            launch=gsqlite3
            gsqlite3-database=\(database)
            local-address=127.0.0.1
            local-port=\(dnsPort)
            api=yes
            api-key=\(apiKey)
            webserver=yes
            webserver-address=127.0.0.1
            webserver-port=\(apiPort)
            webserver-allow-from=127.0.0.1
            zone-cache-refresh-interval=0
            cache-ttl=0
            negquery-cache-ttl=0
            query-cache-ttl=0
            consistent-backends=yes
            loglevel=4

            """.write(toFile: "\(directory)/pdns.conf", atomically: true, encoding: .utf8)
            for zone in zones {
                // Idempotent across attempts: an existing zone makes pdnsutil fail, which is fine.
                _ = try runCommandBlocking(pdnsutil, ["--config-dir=\(directory)", "create-zone", zone, "ns1.\(zone)"])
            }
            let candidate = try PeerProcess(
                pdnsServer,
                ["--config-dir=\(directory)", "--guardian=no", "--daemon=no", "--disable-syslog", "--socket-dir=\(directory)", "--write-pid=no"],
                expectJSONLine: false
            )
            if let version = try Self.waitUntilServing(apiPort: apiPort, apiKey: apiKey, peer: candidate) {
                self.apiPort = apiPort
                self.dnsPort = dnsPort
                self.version = version
                self.peer = candidate
                return
            }
            lastError = candidate.stderrText
            candidate.stop()
        }
        throw PeerError("pdns_server did not start: \(lastError)")
    }

    /// The base URL the pdns webhooks call `host` (without `/api/v1`).
    public var host: String { "http://127.0.0.1:\(apiPort)" }

    /// Where DNS queries go (`HOST:PORT`).
    public var dnsAddress: String { "127.0.0.1:\(dnsPort)" }

    /// Adds a record with `pdnsutil`, as another tool would, bypassing the API.
    public func addRecord(zone: String, name: String, type: String, ttl: Int = 60, content: String) async throws {
        let result = try await runCommand(try PeerProcess.which("pdnsutil"), ["--config-dir=\(directory)", "add-record", zone, name, type, String(ttl), content])
        guard result.status == 0 else { throw PeerError("pdnsutil add-record failed: \(result.stderr)\(result.stdout)") }
    }

    public func stop() {
        peer.stop()
        try? FileManager.default.removeItem(atPath: directory)
    }

    deinit { stop() }

    /// The schema Debian ships with the backend.
    private static func schemaFile() throws -> String {
        for candidate in ["/usr/share/pdns-backend-sqlite3/schema/schema.sqlite3.sql", "/usr/share/doc/pdns-backend-sqlite3/schema.sqlite3.sql"]
        where FileManager.default.fileExists(atPath: candidate) {
            return candidate
        }
        throw PeerError("the PowerDNS SQLite schema is missing: apt-get install pdns-backend-sqlite3 (scripts/setup does)")
    }

    /// Polls the API until it answers with the server's version; `nil` when the process died or
    /// did not answer within 10 s.
    private static func waitUntilServing(apiPort: Int, apiKey: String, peer: PeerProcess) throws -> String? {
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            if !peer.process.isRunning { return nil }
            let result = try runCommandBlocking("curl", ["-s", "--max-time", "1", "-H", "X-API-Key: \(apiKey)", "http://127.0.0.1:\(apiPort)/api/v1/servers/localhost"])
            if let data = result.stdout.data(using: .utf8),
                let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
                let version = object["version"] as? String
            {
                return version
            }
            usleep(100_000)
        }
        return nil
    }
}
