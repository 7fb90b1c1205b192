import AsyncHTTPClient
import DNS01
import Foundation
import HTTPProvider
import Logging
import NIOCore
import NIOSSL
import TestSupport

/// `Tests/Peers/http_hook_peer.py` started for one test: a lego-httpreq-style hook on
/// 127.0.0.1, over HTTP or HTTPS with the test PKI's serving certificate.
final class HookPeer: Sendable {
    let peer: PeerProcess
    let scheme: String

    struct State: Decodable {
        struct Post: Decodable {
            let path: String
            let authorization: String
            let body: String
            let contentType: String
        }
        let records: [String: [String]]
        let posts: [Post]
    }

    init(_ arguments: [String] = [], tls: PKI? = nil) async throws {
        var arguments = arguments
        if let tls { arguments += ["--cert", tls.servingCert, "--key", tls.servingKey] }
        scheme = tls == nil ? "http" : "https"
        peer = try await PeerProcess.start(python, ["\(repositoryRoot)/Tests/Peers/http_hook_peer.py"] + arguments)
    }

    var base: String { "\(scheme)://127.0.0.1:\(peer.port)" }

    func stop() { peer.stop() }

    /// What the hook holds and every POST it received (read without verifying its certificate).
    func state() async throws -> State {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.certificateVerification = .none
        return try await HTTPClient.withHTTPClient(configuration: .init(tlsConfiguration: tls)) { client in
            let response = try await client.execute(HTTPClientRequest(url: "\(base)/state"), timeout: .seconds(10))
            let body = try await response.body.collect(upTo: 1 << 20)
            return try JSONDecoder().decode(State.self, from: Data(body.readableBytesView))
        }
    }
}

/// The test PKI (`Tests/Peers/pki.py`): a serving certificate for 127.0.0.1 and its CA.
struct PKI {
    let directory: String
    let servingCert: String
    let servingKey: String
    let caCert: String
    let wrongCACert: String

    init() async throws {
        directory = try makeTemporaryDirectory("hook-pki")
        let result = try await runCommand(python, ["\(repositoryRoot)/Tests/Peers/pki.py", directory])
        guard result.status == 0, let paths = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: String],
            let cert = paths["servingACert"], let key = paths["servingAKey"], let ca = paths["servingCACert"], let wrong = paths["wrongCACert"]
        else { throw PeerError("pki.py failed: \(result.stderr)") }
        (servingCert, servingKey, caCert, wrongCACert) = (cert, key, ca, wrong)
    }

    func pem(_ path: String) throws -> String { try String(contentsOfFile: path, encoding: .utf8) }

    func remove() { try? FileManager.default.removeItem(atPath: directory) }
}

enum HookTest {
    static let namespace = "tenant"

    static let secrets = StaticSecretSource([
        .init(namespace: namespace, name: "hook"): [
            "username": SecretValue("alice"), "password": SecretValue("pa55-word"), "token": SecretValue("t0ken-abcdef"),
        ]
    ])

    static func provider(_ block: ConfigValue, origin: ConfigOrigin = .operatorConfig, policy: IssuerPolicy = .denyAll, secrets: StaticSecretSource = secrets) async throws -> any DNSProvider {
        let plugin = HTTPPlugin()
        let configuration = try plugin.decodeConfiguration(block, at: ConfigPath.root.appending("http"), source: ConfigSource(origin: origin, policy: policy))
        let context = ProviderContext(
            namespace: namespace, secrets: secrets, allowAmbientCredentials: false,
            origin: origin, logger: Logger(label: "test"), environment: [:]
        )
        return try await plugin.makeProvider(for: configuration, context: context)
    }

    static func challenge(_ action: Challenge.Action, _ key: String) throws -> Challenge {
        Challenge(
            action: action, dnsName: try DomainName("www.example.com"), resolvedFQDN: try DomainName("_acme-challenge.www.example.com"),
            key: key, resourceNamespace: namespace
        )
    }
}
