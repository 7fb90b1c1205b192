import AsyncHTTPClient
import Foundation
import NIOCore
import NIOFoundationCompat
import NIOHTTP1
import NIOSSL
import TestSupport

/// Who a test request claims to be: which client certificate it presents (if any).
public struct ClientIdentity: Sendable {
    public var certificate: String?
    public var key: String?

    public static let none = ClientIdentity()
    /// CN alice, O system:masters, from the cluster CA.
    public static var alice: ClientIdentity { pki("alice") }
    /// CN bob, O developers, from the cluster CA.
    public static var bob: ClientIdentity { pki("bob") }
    /// The aggregator's front-proxy certificate (CN front-proxy-client, client auth).
    public static var frontProxy: ClientIdentity { pki("frontProxyClient") }
    public static var frontProxyWithoutClientAuth: ClientIdentity { pki("frontProxyNoClientAuth") }
    public static var wrongCA: ClientIdentity { pki("wrongCAClient") }
    public static var notAllowedProxy: ClientIdentity { pki("notAllowedClient") }

    private static func pki(_ stem: String) -> ClientIdentity {
        ClientIdentity(certificate: TestPKI.shared["\(stem)Cert"], key: TestPKI.shared["\(stem)Key"])
    }

    public func tlsConfiguration() throws -> TLSConfiguration {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(TestPKI.shared["servingCACert"]))
        if let certificate, let key {
            tls.certificateChain = try NIOSSLCertificate.fromPEMFile(certificate).map { .certificate($0) }
            tls.privateKey = .privateKey(try NIOSSLPrivateKey(file: key, format: .pem))
        }
        return tls
    }
}

/// One answer, with the body as text and, when it is a JSON object, decoded.
public struct HTTPAnswer: Sendable {
    public let status: Int
    public let body: String
    public let headers: [(String, String)]

    public var json: [String: Any]? { try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any] }
    public var message: String? { json?["message"] as? String }

    /// `response` of a ChallengePayload answer.
    public var challengeResponse: [String: Any]? { json?["response"] as? [String: Any] }
    public var challengeSucceeded: Bool? { challengeResponse?["success"] as? Bool }
    public var challengeMessage: String? { (challengeResponse?["status"] as? [String: Any])?["message"] as? String }

    public func header(_ name: String) -> String? { headers.first { $0.0.lowercased() == name.lowercased() }?.1 }
}

/// Sends one HTTPS request to a test server.
public func send(
    _ method: HTTPMethod = .GET,
    _ url: String,
    as identity: ClientIdentity = .none,
    headers: [(String, String)] = [],
    body: String? = nil
) async throws -> HTTPAnswer {
    var request = HTTPClientRequest(url: url)
    request.method = method
    request.tlsConfiguration = try identity.tlsConfiguration()
    for (name, value) in headers { request.headers.add(name: name, value: value) }
    if let body { request.body = .bytes(ByteBuffer(string: body)) }
    let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
    let collected = try await response.body.collect(upTo: 8 << 20)
    return HTTPAnswer(status: Int(response.status.code), body: String(buffer: collected), headers: response.headers.map { ($0.name, $0.value) })
}

/// Headers the aggregator adds to a proxied request.
public func frontProxyHeaders(user: String, groups: [String] = [], extra: [(String, String)] = []) -> [(String, String)] {
    [("X-Remote-User", user)] + groups.map { ("X-Remote-Group", $0) } + extra.map { ("X-Remote-Extra-\($0.0)", $0.1) }
}

/// A Present/CleanUp payload as cert-manager sends it (no apiVersion/kind, empty uid).
public func challengePayload(
    action: String = "Present",
    dnsName: String = "example.com",
    key: String = "k-\(UUID().uuidString.prefix(8))",
    namespace: String = "cert-manager",
    config: String? = "{}"
) -> String {
    let configField = config.map { ", \"config\": \($0)" } ?? ""
    return """
    {"request": {"uid": "", "action": "\(action)", "type": "dns-01", "dnsName": "\(dnsName)", "key": "\(key)", \
    "resourceNamespace": "\(namespace)", "resolvedFQDN": "_acme-challenge.\(dnsName).", "resolvedZone": "\(dnsName).", \
    "allowAmbientCredentials": false\(configField)}}
    """
}

/// Polls `condition` until it holds or `timeout` passes (for changes the server picks up
/// asynchronously, like a reloaded certificate); the caller asserts on the result.
public func eventually(timeout: Duration = .seconds(20), _ condition: () async throws -> Bool) async rethrows -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try? await Task.sleep(for: .milliseconds(100))
    }
    return try await condition()
}

