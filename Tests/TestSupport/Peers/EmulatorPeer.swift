import DNS01
import Foundation
import ProviderKit

/// A provider emulator from `Tests/Peers/<name>_emulator.py` on 127.0.0.1, with the admin API
/// every emulator shares (`/__admin/state`, `/__admin/faults`, `/__admin/seed`,
/// `/__admin/reset`, `/__admin/clock`). The emulator exits when the test process's pipe to it
/// closes, so nothing outlives a crashed run.
public final class EmulatorPeer: Sendable {
    public let peer: PeerProcess
    /// `http://127.0.0.1:PORT`.
    public let baseURL: String
    private let transport = AsyncHTTPClientTransport()

    /// Starts `Tests/Peers/<script>` with `arguments`; `config` (if any) is written to a file
    /// and passed as `--config`.
    public init(_ script: String, config: [String: Any]? = nil, arguments: [String] = []) async throws {
        var all = ["\(repositoryRoot)/Tests/Peers/\(script)", "--port", "0"] + arguments
        if let config {
            let file = try makeTemporaryDirectory("emulator") + "/config.json"
            try JSONSerialization.data(withJSONObject: config).write(to: URL(fileURLWithPath: file))
            all += ["--config", file]
        }
        peer = try await PeerProcess.start(python, all)
        baseURL = "http://127.0.0.1:\(peer.port)"
    }

    deinit { peer.stop() }

    public func stop() { peer.stop() }

    /// One admin call; the JSON answer as a dictionary.
    @discardableResult
    public func admin(_ method: String, _ path: String, _ body: [String: Any]? = nil) async throws -> [String: Any] {
        let data = try body.map { try JSONSerialization.data(withJSONObject: $0) } ?? Data()
        let response = try await transport.send(
            APIRequest(method: method, url: baseURL + path, headers: [.init("Content-Type", "application/json")], body: Array(data)),
            timeout: .seconds(10)
        )
        guard (200..<300).contains(response.status) else {
            throw PeerError("admin \(method) \(path): HTTP \(response.status) \(response.bodyText)")
        }
        guard !response.body.isEmpty else { return [:] }
        guard let object = try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any] else {
            throw PeerError("admin \(method) \(path): not a JSON object: \(response.bodyText)")
        }
        return object
    }

    /// The emulator's state without the request log.
    public func state() async throws -> [String: Any] { try await admin("GET", "/__admin/state?log=0") }

    /// API calls answered so far: the sum of the state's per-action `counts` (or its
    /// `requestCount`).
    public func apiCallCount() async throws -> Int {
        let state = try await state()
        if let total = state["requestCount"] as? Int { return total }
        return (state["counts"] as? [String: Int])?.values.reduce(0, +) ?? 0
    }

    /// The next `count` authenticated calls get the provider's throttling answer and 5xx,
    /// alternately.
    public func injectFaults(_ count: Int) async throws {
        try await admin("POST", "/__admin/faults", ["throttle": (count + 1) / 2, "error5xx": count / 2])
    }

    public func seed(_ body: [String: Any]) async throws { try await admin("POST", "/__admin/seed", body) }
}
