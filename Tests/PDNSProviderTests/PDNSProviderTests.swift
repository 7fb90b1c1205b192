import DNS01
import Foundation
import PDNSProvider
import ProviderKit
import TestSupport
import Testing

@Suite("PowerDNS provider against a real pdns_server", .serialized)
struct PDNSProviderTests {

    @Test("on Debian's pdns_server (no EXTEND/PRUNE) the version is read once and changes use REPLACE, then a verifying read")
    func replaceOnOldServers() async throws {
        let fixture = try await PDNSFixture()
        defer { fixture.server.stop() }
        #expect(PDNSVersion(fixture.server.version)?.hasSingleValueChanges == false, "this test expects an older pdns_server, found \(fixture.server.version)")
        let provider = try await fixture.provider()
        try await provider.present(PDNSFixture.challenge(.present, "_acme-challenge.www.example.com", "k1"))
        #expect(fixture.transport.requests == ["GET", "GET", "GET", "PATCH REPLACE", "GET"], "\(fixture.transport.requests)")
        try await provider.cleanUp(PDNSFixture.challenge(.cleanUp, "_acme-challenge.www.example.com", "k1"))
        #expect(fixture.transport.requests.suffix(3) == ["GET", "PATCH DELETE", "GET"], "\(fixture.transport.requests)")
        #expect(try await fixture.dnsValues(DomainName("_acme-challenge.www.example.com")) == [])
    }

    @Test("a rewrite keeps other records' disabled flag and the rrset's TTL")
    func keepsForeignRecords() async throws {
        let fixture = try await PDNSFixture()
        defer { fixture.server.stop() }
        let body = #"{"rrsets":[{"name":"_acme-challenge.example.com.","type":"TXT","ttl":3600,"changetype":"REPLACE","records":[{"content":"\"parked\"","disabled":true},{"content":"\"live\"","disabled":false}]}]}"#
        let response = try await AsyncHTTPClientTransport().send(
            APIRequest(
                method: "PATCH", url: "\(fixture.server.host)/api/v1/servers/localhost/zones/example.com.",
                headers: [.init("X-API-Key", PDNSFixture.apiKey), .init("Content-Type", "application/json")], body: Array(body.utf8)
            ), timeout: .seconds(5))
        #expect(response.status == 204)
        let provider = try await fixture.provider()
        try await provider.present(PDNSFixture.challenge(.present, "_acme-challenge.example.com", "mine"))
        let set = try await fixture.apiRRSet(zone: "example.com", name: "_acme-challenge.example.com")
        #expect(set.ttl == 3600)
        #expect(Set(set.records.map { "\($0.0) \($0.1)" }) == ["\"parked\" true", "\"live\" false", "\"mine\" false"])
        #expect(Set(try await fixture.dnsValues(DomainName("_acme-challenge.example.com"))) == ["live", "mine"])
        #expect(Set(try await provider.txtValues(at: DomainName("_acme-challenge.example.com"), zone: nil)) == ["live", "mine"])
        try await provider.cleanUp(PDNSFixture.challenge(.cleanUp, "_acme-challenge.example.com", "mine"))
        #expect(Set(try await fixture.apiRRSet(zone: "example.com", name: "_acme-challenge.example.com").records.map { "\($0.0) \($0.1)" }) == ["\"parked\" true", "\"live\" false"])
        // Presenting a value that is there but disabled enables it (once); the last enabled
        // value's CleanUp keeps the disabled ones.
        try await provider.present(PDNSFixture.challenge(.present, "_acme-challenge.example.com", "parked"))
        #expect(Set(try await fixture.apiRRSet(zone: "example.com", name: "_acme-challenge.example.com").records.map { "\($0.0) \($0.1)" }) == ["\"parked\" false", "\"live\" false"])
        try await provider.cleanUp(PDNSFixture.challenge(.cleanUp, "_acme-challenge.example.com", "parked"))
        try await provider.cleanUp(PDNSFixture.challenge(.cleanUp, "_acme-challenge.example.com", "live"))
        #expect(try await fixture.apiRRSet(zone: "example.com", name: "_acme-challenge.example.com").records.isEmpty)
    }

    @Test("the record goes into the longest zone of the server; allowed-zones refuses others")
    func zones() async throws {
        let fixture = try await PDNSFixture()
        defer { fixture.server.stop() }
        let provider = try await fixture.provider()
        try await provider.present(PDNSFixture.challenge(.present, "_acme-challenge.www.sub.example.com", "nested"))
        #expect(try await fixture.apiRRSet(zone: "sub.example.com", name: "_acme-challenge.www.sub.example.com").records.map(\.0) == ["\"nested\""])
        #expect(try await fixture.apiRRSet(zone: "example.com", name: "_acme-challenge.www.sub.example.com").records.isEmpty)

        let restricted = try await fixture.provider(config: fixture.config(extra: ["allowed-zones": ["example.net."]]))
        let refused = await dns01Failure { try await restricted.present(PDNSFixture.challenge(.present, "_acme-challenge.www.example.com", "k")) }
        #expect(refused?.code == .forbiddenByPolicy)
        #expect(refused?.message == "the zone example.com. of _acme-challenge.www.example.com may not be edited: allowed-zones lists only example.net.")
        let allowedBelow = try await fixture.provider(config: fixture.config(extra: ["allowed-zones": ["example.com."]]))
        try await allowedBelow.present(PDNSFixture.challenge(.present, "_acme-challenge.x.sub.example.com", "below"))

        let missing = await dns01Failure { try await provider.present(PDNSFixture.challenge(.present, "_acme-challenge.example.org", "k")) }
        #expect(missing?.code == .zoneNotFound)
        #expect(missing?.message == "no zone on the PowerDNS server at \(fixture.server.host) (server localhost) contains _acme-challenge.example.org (it has 3 zones)")
    }

    @Test("a wrong API key, a wrong serverID and a refused connection fail saying what to fix")
    func clearFailures() async throws {
        let fixture = try await PDNSFixture()
        defer { fixture.server.stop() }
        let wrongKey = try await fixture.provider(config: fixture.config(secret: "wrong"))
        let refused = await dns01Failure { try await wrongKey.present(PDNSFixture.challenge(.present, "_acme-challenge.example.com", "k")) }
        #expect(
            refused?.message
                == "the PowerDNS API at \(fixture.server.host) refused the API key from secret cert-manager/wrong key \"key\" (HTTP 401): it must equal the server's api-key setting, sent in the X-API-Key header (apiKeyHeaderName, apiKeyScheme)")

        let wrongServer = try await fixture.provider(config: fixture.config(extra: ["serverID": "nameserver-1"]))
        let noServer = await dns01Failure { try await wrongServer.present(PDNSFixture.challenge(.present, "_acme-challenge.example.com", "k")) }
        #expect(noServer?.message.hasPrefix("the PowerDNS API at \(fixture.server.host) has no server \"nameserver-1\"") == true, "\(noServer?.message ?? "")")

        let closed = try await fixture.provider(PDNSPlugin(retryPolicy: RetryPolicy(baseDelay: .milliseconds(5))), config: ["host": "http://127.0.0.1:1", "apiKeySecretRef": ["name": "pdns-api-key", "key": "key"], "timeout": 2])
        let unreachable = await dns01Failure { try await closed.present(PDNSFixture.challenge(.present, "_acme-challenge.example.com", "k")) }
        #expect(unreachable?.message.hasPrefix("cannot reach the PowerDNS API at http://127.0.0.1:1: connection refused; check the endpoint's host and port") == true, "\(String(describing: unreachable?.message))")
    }

    @Test("caBundle: the API behind TLS with a private CA is trusted through it, and refused without it")
    func privateCA() async throws {
        let directory = try makeTemporaryDirectory("pdns-pki")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let made = try await runCommand(python, ["\(repositoryRoot)/Tests/Peers/pki.py", directory])
        let paths = try #require(try JSONSerialization.jsonObject(with: Data(made.stdout.utf8)) as? [String: String])
        // Any HTTPS server with the test PKI's certificate will do: the hook peer answers 404 to the API's paths.
        let peer = try await PeerProcess.start(python, ["\(repositoryRoot)/Tests/Peers/http_hook_peer.py", "--cert", try #require(paths["servingACert"]), "--key", try #require(paths["servingAKey"])])
        defer { peer.stop() }
        let ca = try String(contentsOfFile: try #require(paths["servingCACert"]), encoding: .utf8)
        let block: ConfigValue = ["host": .string("https://127.0.0.1:\(peer.port)"), "apiKeySecretRef": ["name": "pdns-api-key", "key": "key"], "timeout": 5]
        let plugin = PDNSPlugin(retryPolicy: RetryPolicy(baseDelay: .milliseconds(5)))
        let configuration = try plugin.decodeConfiguration(block, at: .root.appending("pdns"), source: .operatorConfig)
        let context = ProviderContext(namespace: PDNSFixture.namespace, secrets: PDNSFixture.secrets(), allowAmbientCredentials: false, origin: .operatorConfig, logger: PDNSFixture.logger, environment: [:])

        var trusted = configuration
        trusted.caBundle = PEMText.normalise(Data(ca.utf8).base64EncodedString())
        #expect(trusted.caBundle == ca)
        let through = await dns01Failure { try await plugin.makeProvider(for: trusted, context: context).present(PDNSFixture.challenge(.present, "_acme-challenge.example.com", "k")) }
        #expect(through?.message.hasPrefix("the PowerDNS API at https://127.0.0.1:\(peer.port) has no server \"localhost\" (HTTP 404)") == true, "\(through?.message ?? "")")

        let untrusted = await dns01Failure { try await plugin.makeProvider(for: configuration, context: context).present(PDNSFixture.challenge(.present, "_acme-challenge.example.com", "k")) }
        #expect(untrusted?.message.hasPrefix("cannot reach the PowerDNS API at https://127.0.0.1:\(peer.port): the TLS handshake failed") == true, "\(untrusted?.message ?? "")")
    }
}
