import DNS01
import Foundation
import TestSupport
import Testing

/// The http provider against a real local hook server (lego's httpreq convention).
@Suite("http provider", .serialized)
struct HTTPProviderTests {
    static let fqdn = "_acme-challenge.www.example.com."

    @Test("POSTs the challenge to <endpoint>/present and /cleanup with basic auth; two values on one name")
    func basicAuth() async throws {
        let hook = try await HookPeer(["--basic", "alice:pa55-word"])
        defer { hook.stop() }
        let provider = try await HookTest.provider([
            "endpoint": .string(hook.base + "/hooks/acme/"),
            "usernameSecretRef": ["name": "hook", "key": "username"], "passwordSecretRef": ["name": "hook", "key": "password"],
        ])
        try await provider.present(HookTest.challenge(.present, "key-A"))
        try await provider.present(HookTest.challenge(.present, "key-B"))
        try await provider.present(HookTest.challenge(.present, "key-A"))
        #expect(try await hook.state().records == [Self.fqdn: ["key-A", "key-B"]])
        try await provider.cleanUp(HookTest.challenge(.cleanUp, "key-B"))
        #expect(try await hook.state().records == [Self.fqdn: ["key-A"]])

        let posts = try await hook.state().posts
        #expect(posts.map(\.path) == ["/hooks/acme/present", "/hooks/acme/present", "/hooks/acme/present", "/hooks/acme/cleanup"])
        #expect(posts.allSatisfy { $0.authorization == "Basic YWxpY2U6cGE1NS13b3Jk" && $0.contentType == "application/json" })
        #expect(posts.last?.body == #"{"action":"cleanup","fqdn":"_acme-challenge.www.example.com.","value":"key-B","domain":"www.example.com","zone":"","namespace":"tenant","uid":""}"#)
    }

    @Test("HTTPS with a custom CA, inline or from a Secret, and a bearer token")
    func customCA() async throws {
        let pki = try await PKI()
        defer { pki.remove() }
        let hook = try await HookPeer(["--bearer", "t0ken-abcdef"], tls: pki)
        defer { hook.stop() }
        let inline = try await HookTest.provider([
            "endpoint": .string(hook.base), "bearerTokenSecretRef": ["name": "hook", "key": "token"], "caBundle": .string(try pki.pem(pki.caCert)),
        ])
        try await inline.present(HookTest.challenge(.present, "key-A"))
        let secrets = StaticSecretSource([
            .init(namespace: HookTest.namespace, name: "hook"): ["token": SecretValue("t0ken-abcdef")],
            .init(namespace: HookTest.namespace, name: "hook-ca"): ["ca.crt": SecretValue(try pki.pem(pki.caCert))],
        ])
        let fromSecret = try await HookTest.provider(
            [
                "endpoint": .string(hook.base), "bearerTokenSecretRef": ["name": "hook", "key": "token"],
                "caBundleSecretRef": ["name": "hook-ca", "key": "ca.crt"],
            ], secrets: secrets)
        try await fromSecret.present(HookTest.challenge(.present, "key-B"))
        #expect(try await hook.state().records == [Self.fqdn: ["key-A", "key-B"]])
        #expect(try await hook.state().posts.allSatisfy { $0.authorization == "Bearer t0ken-abcdef" })
    }

    @Test("a server whose certificate the configured CA did not sign is refused, and nothing is posted")
    func untrustedServer() async throws {
        let pki = try await PKI()
        defer { pki.remove() }
        let hook = try await HookPeer(tls: pki)
        defer { hook.stop() }
        // AsyncHTTPClient keeps retrying a failed handshake until the request's deadline: keep it short.
        let provider = try await HookTest.provider(["endpoint": .string(hook.base), "caBundle": .string(try pki.pem(pki.wrongCACert)), "timeout": "2s"])
        let error = await #expect(throws: DNS01Error.self) { try await provider.present(HookTest.challenge(.present, "key-A")) }
        #expect(error?.code == .providerUnavailable)
        #expect(error?.message.hasPrefix("http: POST \(hook.base)/present failed: ") == true, "\(String(describing: error))")
        #expect(try await hook.state().posts.isEmpty)
    }

    @Test("a refusal fails at once with the status and body, the echoed token redacted")
    func refusalRedacted() async throws {
        let hook = try await HookPeer()
        defer { hook.stop() }
        let provider = try await HookTest.provider(["endpoint": .string(hook.base + "/reject"), "bearerTokenSecretRef": ["name": "hook", "key": "token"]])
        let error = await #expect(throws: DNS01Error.self) { try await provider.present(HookTest.challenge(.present, "key-A")) }
        #expect(error?.code == .providerRejected)
        #expect(error?.message == "http: POST \(hook.base)/reject/present answered 403: forbidden for <redacted> see the logs")
        #expect(try await hook.state().posts.count == 1)
    }

    @Test("redirects are not followed")
    func noRedirects() async throws {
        let hook = try await HookPeer()
        defer { hook.stop() }
        let provider = try await HookTest.provider(["endpoint": .string(hook.base + "/redirect")])
        await #expect(throws: DNS01Error(.providerRejected, "http: POST \(hook.base)/redirect/present answered 302 (redirects are not followed): {}")) {
            try await provider.present(HookTest.challenge(.present, "key-A"))
        }
        #expect(try await hook.state().posts.map(\.path) == ["/redirect/present"])
    }

    @Test("503s are retried, within a bound", arguments: [(2, true), (10, false)])
    func retries(failures: Int, succeeds: Bool) async throws {
        let hook = try await HookPeer(["--fail-first", "\(failures)"])
        defer { hook.stop() }
        let provider = try await HookTest.provider(["endpoint": .string(hook.base)])
        if succeeds {
            try await provider.present(HookTest.challenge(.present, "key-A"))
            #expect(try await hook.state().posts.count == failures + 1)
        } else {
            let error = await #expect(throws: DNS01Error.self) { try await provider.present(HookTest.challenge(.present, "key-A")) }
            #expect(error?.code == .providerUnavailable)
            #expect(error?.message.hasPrefix("http: POST \(hook.base)/present answered 503") == true)
            #expect(try await hook.state().posts.count == 4)
        }
    }

    @Test(
        "config mistakes name their field",
        arguments: [
            (["endpoint": "ftp://x/"], "http.endpoint must be an http:// or https:// URL with a host and no user, query, fragment or ./.. segments, got \"ftp://x\""),
            (["endpoint": "https://x", "usernameSecretRef": ["name": "a", "key": "b"]], "http.passwordSecretRef is required"),
            (
                ["endpoint": "https://x", "bearerTokenSecretRef": ["name": "a", "key": "b"], "passwordSecretRef": ["name": "a", "key": "c"]],
                "http sets both basic auth (usernameSecretRef, passwordSecretRef) and bearerTokenSecretRef; choose one"
            ),
            (["endpoint": "https://x", "caBundle": "not a certificate"], "http.caBundle must hold PEM certificates (-----BEGIN CERTIFICATE-----), or their base64"),
            (["endpoint": "https://x", "retries": 3], "http has an unknown field \"retries\" (known fields: bearerTokenSecretRef, caBundle, caBundleSecretRef, endpoint, nameserver, passwordSecretRef, timeout, usernameSecretRef)"),
        ] as [(ConfigValue, String)])
    func configMistakes(block: ConfigValue, message: String) async {
        await #expect(throws: DNS01Error(.invalidConfiguration, message)) { try await HookTest.provider(block) }
    }
}
