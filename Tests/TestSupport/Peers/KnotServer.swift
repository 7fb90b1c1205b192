import Foundation

/// A real authoritative DNS server (Knot DNS, from Debian's `knot` package) serving zones the
/// test writes, on 127.0.0.1 and a free port, optionally accepting TSIG-signed dynamic updates.
public final class KnotServer: @unchecked Sendable {
    // @unchecked: set up once in init, then only read.
    public let port: Int
    public let directory: String
    private let peer: PeerProcess

    public struct TSIGKey: Sendable {
        public var name: String
        public var algorithm: String
        public var secretBase64: String
        public init(name: String, algorithm: String, secretBase64: String) {
            self.name = name
            self.algorithm = algorithm
            self.secretBase64 = secretBase64
        }
    }

    /// `zones` maps a zone name (`example.com`) to the records of its zone file body (after
    /// the SOA and NS, which are added).
    public static func start(zones: [String: String], updateKey: TSIGKey? = nil) async throws -> KnotServer {
        try await offloaded { try KnotServer(zones: zones, updateKey: updateKey) }
    }

    private init(zones: [String: String], updateKey: TSIGKey? = nil) throws {
        let knotd = try PeerProcess.which("knotd")
        directory = try makeTemporaryDirectory("knot")
        var lastError = ""
        for _ in 0..<4 {
            let port = Int.random(in: 20_000...60_000)
            var config = """
                server:
                    listen: 127.0.0.1@\(port)
                    rundir: \(directory)
                database:
                    storage: \(directory)
                log:
                  - target: stderr
                    any: warning
                """
            if let key = updateKey {
                config += """

                    key:
                      - id: \(key.name)
                        algorithm: \(key.algorithm)
                        secret: \(key.secretBase64)
                    acl:
                      - id: update
                        key: \(key.name)
                        action: update
                    """
            }
            config += "\nzone:\n"
            for (zone, records) in zones.sorted(by: { $0.key < $1.key }) {
                let file = "\(directory)/\(zone).zone"
                let body = """
                    $ORIGIN \(zone).
                    $TTL 60
                    @ IN SOA ns.\(zone). hostmaster.\(zone). 1 3600 600 86400 60
                    @ IN NS ns.\(zone).
                    ns IN A 127.0.0.1
                    \(records)

                    """
                try body.write(toFile: file, atomically: true, encoding: .utf8)
                config += "  - domain: \(zone)\n    file: \(file)\n    zonefile-sync: -1\n    journal-content: none\n"
                if updateKey != nil { config += "    acl: update\n" }
            }
            let configFile = "\(directory)/knot.conf"
            try config.write(toFile: configFile, atomically: true, encoding: .utf8)
            let candidate = try PeerProcess(knotd, ["-c", configFile], expectJSONLine: false)
            if try Self.waitUntilListening(port: port, peer: candidate) {
                self.port = port
                self.peer = candidate
                return
            }
            lastError = candidate.stderrText
            candidate.stop()
        }
        throw PeerError("knotd did not start: \(lastError)")
    }

    public var address: String { "127.0.0.1:\(port)" }

    public func stop() {
        peer.stop()
        try? FileManager.default.removeItem(atPath: directory)
    }

    deinit { stop() }

    private static func waitUntilListening(port: Int, peer: PeerProcess) throws -> Bool {
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            if !peer.process.isRunning { return false }
            let result = try runCommandBlocking("kdig", ["@127.0.0.1", "-p", "\(port)", "+tcp", "+timeout=1", "+retry=0", "SOA", "."])
            if result.stdout.contains("status:") { return true }
            usleep(100_000)
        }
        return false
    }
}
