import DNS01
import Foundation
import ProviderKit

/// One provider in `dns01-bench providers`: how to start its emulator (or real server) on
/// 127.0.0.1 and configure the provider against it. Each provider adds one file in this folder
/// and one line to `ProviderBenchSubject.all`.
struct ProviderBenchSubject: Sendable {
    let name: String
    let start: @Sendable () async throws -> ProviderBenchTarget
}

/// A started peer and the provider pointed at it.
struct ProviderBenchTarget: Sendable {
    var registry: ProviderRegistry
    /// The provider's bare block.
    var config: ConfigValue
    var secrets: StaticSecretSource
    var namespace = "bench"
    /// A zone the account holds.
    var zone: DomainName
    /// API calls the peer has answered so far.
    var apiCalls: @Sendable () async throws -> Int
    var stop: @Sendable () -> Void
}

extension ProviderBenchSubject {
    /// Every provider the benchmark measures, in table order.
    static let all: [ProviderBenchSubject] = [
        .memory, .route53, .alidns,
        .cloudflare, .digitalocean, .akamai, .acmeDNS, .dnspod, .huaweicloud,
        .hetzner, .gandi, .pdns, .ovh, .cloudDNS, .azureDNS, .acmesh,
    ]
}

/// A Python emulator from Tests/Peers, with its admin API's call counts.
final class EmulatorProcess: Sendable {
    let port: Int
    private let child: LockedChild
    private let transport = AsyncHTTPClientTransport()

    init(script: String, python: String = "python3") throws {
        let child = try ChildProcess("/usr/bin/env", [python, "\(benchRepositoryRoot)/Tests/Peers/\(script)", "--port", "0"])
        self.child = LockedChild(child)
        self.port = child.port
    }

    var baseURL: String { "http://127.0.0.1:\(port)" }

    /// API calls answered so far (the admin state's `requestCount`, or the sum of its `counts`).
    func apiCalls() async throws -> Int {
        let response = try await transport.send(APIRequest(method: "GET", url: baseURL + "/__admin/state?log=0"), timeout: .seconds(10))
        guard let state = try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any] else {
            throw BenchError("\(baseURL)/__admin/state did not answer JSON")
        }
        if let total = state["requestCount"] as? Int { return total }
        return (state["counts"] as? [String: Int])?.values.reduce(0, +) ?? 0
    }

    func stop() { child.stop() }
}

/// `ChildProcess` is not Sendable; it is only stopped, once, under a lock.
private final class LockedChild: @unchecked Sendable {
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
