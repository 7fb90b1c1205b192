import DNS01
import Foundation
import Logging
import ProviderKit
import Route53Emulator
import Synchronization

@testable import Route53Provider

/// Shared pieces of the Route53 tests: plugins wired to the emulator (or moto), challenges.
enum R53 {
    static let namespace = "cert-manager"
    static let secrets = StaticSecretSource([
        .init(namespace: namespace, name: "aws"): ["access-key-id": SecretValue("AKIDTEST"), "secret-access-key": SecretValue("test-secret\n")]
    ])

    /// Retries fast so tests of throttling take milliseconds.
    static func fastRetry(sleeps: DelayLog? = nil, attempts: Int = 12, deadline: Duration = .seconds(20)) -> RetryPolicy {
        RetryPolicy(
            maximumAttempts: attempts, baseDelay: .milliseconds(2), maximumDelay: .milliseconds(40), deadline: deadline,
            sleep: { delay in
                sleeps?.record(delay)
                try await Task.sleep(for: delay)
            })
    }

    static func plugin(
        _ transport: any HTTPTransport, retry: RetryPolicy = fastRetry(), pacing: Double? = nil, now: @escaping @Sendable () -> AWSTimestamp = AWSTimestamp.now, readFile: @escaping @Sendable (String) throws -> String = CredentialsChain.readTextFile
    ) -> Route53Plugin {
        Route53Plugin(
            sender: AWSRequestSender(transport: transport, retryPolicy: retry, now: now),
            requestsPerSecond: pacing,
            syncWaiter: ChangeSyncWaiter(interval: .milliseconds(10), timeout: .seconds(3)),
            readFile: readFile
        )
    }

    static let staticKeys: [String: ConfigValue] = [
        "accessKeyIDSecretRef": ["name": "aws", "key": "access-key-id"],
        "secretAccessKeySecretRef": ["name": "aws", "key": "secret-access-key"],
        "endpoint": "https://route53.test",
    ]

    static func config(_ extra: [String: ConfigValue] = [:], base: [String: ConfigValue] = staticKeys) -> ConfigValue {
        .object(base.merging(extra) { $1 })
    }

    static func context(ambient: Bool = false, environment: [String: String] = [:], tokens: (any ServiceAccountTokenSource)? = nil) -> ProviderContext {
        ProviderContext(
            namespace: namespace, secrets: secrets, allowAmbientCredentials: ambient, origin: .operatorConfig,
            logger: Logger(label: "route53-test"), environment: environment, serviceAccountTokens: tokens
        )
    }

    static func provider(_ plugin: Route53Plugin, _ config: ConfigValue = config(), context: ProviderContext = context()) async throws -> any DNSProvider {
        let configuration = try plugin.decodeConfiguration(config, at: .root.appending("route53"), source: .operatorConfig)
        return try await plugin.makeProvider(for: configuration, context: context)
    }

    static func challenge(_ action: Challenge.Action, _ fqdn: String, key: String) throws -> Challenge {
        let name = try DomainName(fqdn)
        return Challenge(action: action, dnsName: name, resolvedFQDN: name, key: key, resourceNamespace: namespace)
    }

    /// An ACME-shaped key (43 base64url characters) that differs per index.
    static func key(_ index: Int, salt: String = "") -> String {
        let seed = Array("\(salt)k\(index)-".utf8)
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        var state = seed.reduce(UInt64(1_469_598_103_934_665_603)) { ($0 ^ UInt64($1)) &* 1_099_511_628_211 }
        return String(
            (0..<43).map { _ in
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                return alphabet[Int((state >> 33) % 64)]
            })
    }
}

/// The backoff delays a retry policy slept.
final class DelayLog: Sendable {
    private let delays = Mutex<[Duration]>([])
    func record(_ delay: Duration) { delays.withLock { $0.append(delay) } }
    var all: [Duration] { delays.withLock { $0 } }
}

/// Sends requests to one of several transports by host (a fake STS or container agent next to
/// the Route53 emulator), recording every request.
final class RoutingTransport: HTTPTransport, Sendable {
    let routes: [String: any HTTPTransport]
    let fallback: any HTTPTransport
    private let recorded = Mutex<[APIRequest]>([])

    init(_ routes: [String: any HTTPTransport], fallback: any HTTPTransport) {
        self.routes = routes
        self.fallback = fallback
    }

    var requests: [APIRequest] { recorded.withLock { $0 } }

    func send(_ request: APIRequest, timeout: Duration) async throws -> APIResponse {
        recorded.withLock { $0.append(request) }
        return try await (routes[request.host] ?? fallback).send(request, timeout: timeout)
    }
}

/// A transport answering every request with `respond`.
struct ClosureTransport: HTTPTransport {
    let respond: @Sendable (APIRequest) async throws -> APIResponse
    func send(_ request: APIRequest, timeout: Duration) async throws -> APIResponse { try await respond(request) }
}

/// An STS that answers both AssumeRole actions with fresh credentials expiring after
/// `lifetime`, recording the web identity tokens it was given.
final class FakeSTS: HTTPTransport, Sendable {
    let lifetime: Int64
    private let state = Mutex<(tokens: [String], actions: [String], count: Int)>(([], [], 0))

    init(lifetime: Int64 = 3600) { self.lifetime = lifetime }

    var tokens: [String] { state.withLock { $0.tokens } }
    var actions: [String] { state.withLock { $0.actions } }

    func send(_ request: APIRequest, timeout: Duration) async throws -> APIResponse {
        var form: [String: String] = [:]
        for pair in String(decoding: request.body, as: UTF8.self).split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1)
            form[String(parts[0])] = parts.count > 1 ? PercentEncoding.decode(parts[1], plusIsSpace: true) : ""
        }
        let action = form["Action"] ?? ""
        let count = state.withLock { state in
            state.actions.append(action)
            if let token = form["WebIdentityToken"] { state.tokens.append(token) }
            state.count += 1
            return state.count
        }
        let expiration = (AWSTimestamp.now() + lifetime).iso8601
        let xml = """
            <\(action)Response xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><\(action)Result><Credentials>
            <AccessKeyId>ASIAFAKE\(count)</AccessKeyId><SecretAccessKey>fake-secret-\(count)</SecretAccessKey>
            <SessionToken>fake-token-\(count)</SessionToken><Expiration>\(expiration)</Expiration></Credentials></\(action)Result>
            <ResponseMetadata><RequestId>r-\(count)</RequestId></ResponseMetadata></\(action)Response>
            """
        return APIResponse(status: 200, body: Array(xml.utf8))
    }
}
