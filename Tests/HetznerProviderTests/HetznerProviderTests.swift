import DNS01
import Foundation
import HetznerProvider
import ProviderKit
import TestSupport
import Testing

@Suite("Hetzner provider against the emulator", .serialized)
struct HetznerProviderTests {
    let fqdn = "_acme-challenge.www.example.com"

    @Test("Present returns only once its add_records action has finished, and CleanUp once remove_records has")
    func waitsForActions() async throws {
        let emulator = try await HetznerFixture.emulator(config: [
            "projects": [["name": "default", "tokens": [HetznerFixture.token], "zones": ["example.com"]]],
            "actionPolls": 2,
        ])
        let provider = try await HetznerFixture.provider(config: HetznerFixture.config(emulator))
        try await provider.present(HetznerFixture.challenge(.present, fqdn, "k1"))
        let actions = try await emulator.state()["actions"] as? [[String: Any]] ?? []
        #expect(actions.map { $0["status"] as? String } == ["success"])
        #expect(try await HetznerFixture.values(emulator, name: "_acme-challenge.www") == ["k1"])
        try await provider.cleanUp(HetznerFixture.challenge(.cleanUp, fqdn, "k1"))
        #expect(try await HetznerFixture.values(emulator, name: "_acme-challenge.www") == [])
        let calls = try await HetznerFixture.calls(emulator)
        #expect(calls.first == "list_zones OK")
        #expect(calls.contains("add_records OK") && calls.contains("remove_records OK"))
        // Each action reads "running" for two polls: both calls returned only after the third.
        #expect(calls.filter { $0 == "list_actions OK" || $0 == "get_action OK" }.count == 6, "\(calls)")
    }

    @Test("the older webhook's secretName (key api-key) and zoneName work without listing zones")
    func olderWebhookFields() async throws {
        let emulator = try await HetznerFixture.emulator()
        let provider = try await HetznerFixture.provider(config: [
            "secretName": "hetzner-secret", "zoneName": "example.com", "endpoint": .string(emulator.baseURL + "/v1"),
        ])
        try await provider.present(HetznerFixture.challenge(.present, fqdn, "legacy"))
        #expect(try await provider.txtValues(at: DomainName(fqdn), zone: nil) == ["legacy"])
        try await provider.cleanUp(HetznerFixture.challenge(.cleanUp, fqdn, "legacy"))
        #expect(try await HetznerFixture.calls(emulator).allSatisfy { !$0.hasPrefix("list_zones") })
    }

    @Test("a failed action is reported with its error")
    func actionFailure() async throws {
        let emulator = try await HetznerFixture.emulator()
        let provider = try await HetznerFixture.provider(config: HetznerFixture.config(emulator))
        try await emulator.admin("POST", "/__admin/action-failures", ["count": 1, "code": "action_failed", "message": "zone is locked"])
        let error = await dns01Failure { try await provider.present(HetznerFixture.challenge(.present, fqdn, "k")) }
        #expect(error?.code == .providerRejected)
        #expect(error?.message == "Hetzner Cloud could not change the TXT records at _acme-challenge.www.example.com: its add_rrset_records action failed (action_failed): zone is locked")
    }

    @Test("a read-only token, a token of another project and a name outside zoneName fail saying what to fix")
    func clearFailures() async throws {
        let emulator = try await HetznerFixture.emulator()
        let readOnly = try await HetznerFixture.provider(config: HetznerFixture.config(emulator, secret: "readonly"))
        let error = await dns01Failure { try await readOnly.present(HetznerFixture.challenge(.present, fqdn, "k")) }
        #expect(error?.message == "the Hetzner Cloud API token from secret cert-manager/readonly key \"token\" is read-only (token_readonly): create a token with Read & Write permission")

        let other = try await HetznerFixture.provider(config: HetznerFixture.config(emulator, secret: "other-project"))
        let missing = await dns01Failure { try await other.present(HetznerFixture.challenge(.present, fqdn, "k")) }
        #expect(missing?.code == .zoneNotFound)
        #expect(
            missing?.message
                == "no zone in the Hetzner Cloud project of the token from secret cert-manager/other-project key \"token\" contains _acme-challenge.www.example.com (the project holds 1 zones): create the zone in the Hetzner Console (zones of the old DNS Console must be moved there), or use a token of the project that holds it"
        )

        let pinned = try await HetznerFixture.provider(config: HetznerFixture.config(emulator, extra: ["zoneName": "example.net"]))
        let outside = await dns01Failure { try await pinned.present(HetznerFixture.challenge(.present, fqdn, "k")) }
        #expect(outside?.message == "_acme-challenge.www.example.com is not in the zone example.net that zoneName names: remove zoneName, or set it to the zone that holds the name")

        let gone = try await HetznerFixture.provider(config: HetznerFixture.config(emulator, secret: "other-project", extra: ["zoneName": "example.com"]))
        let notFound = await dns01Failure { try await gone.present(HetznerFixture.challenge(.present, fqdn, "k")) }
        #expect(notFound?.code == .zoneNotFound)
        #expect(try await HetznerFixture.values(emulator, name: "_acme-challenge.www") == [])
    }

    @Test("throttling that outlasts the retries fails as unavailable, with a stable message")
    func throttlingExhausted() async throws {
        let emulator = try await HetznerFixture.emulator()
        let provider = try await HetznerFixture.provider(config: HetznerFixture.config(emulator, extra: ["zoneName": "example.com"]))
        try await emulator.admin("POST", "/__admin/faults", ["throttle": 50])
        let error = await dns01Failure { try await provider.present(HetznerFixture.challenge(.present, fqdn, "k")) }
        #expect(error?.code == .providerUnavailable)
        #expect(error?.message == "Hetzner Cloud kept refusing add_records for _acme-challenge.www.example.com with rate_limit_exceeded through every retry: the project makes too many API calls; cert-manager will try again")
    }

    @Test("a connection refused fails at once with a plain sentence")
    func connectionRefused() async throws {
        let provider = try await HetznerFixture.provider(config: [
            "tokenSecretKeyRef": ["name": "hetzner", "key": "token"], "endpoint": "http://127.0.0.1:1/v1", "httpTimeout": "2s",
        ])
        let error = await dns01Failure { try await provider.present(HetznerFixture.challenge(.present, fqdn, "k")) }
        #expect(error?.code == .providerUnavailable)
        #expect(error?.message.hasPrefix("cannot reach the Hetzner Cloud API at http://127.0.0.1:1/v1: connection refused; check the endpoint's host and port") == true, "\(String(describing: error?.message))")
    }

    @Test("tokenFilePath: the operator's config reads it; an Issuer's only with ambient credentials allowed")
    func tokenFile() async throws {
        let emulator = try await HetznerFixture.emulator()
        let plugin = HetznerFixture.plugin(readFile: { path in path == "/run/hetzner/token" ? Data((HetznerFixture.token + "\n").utf8) : nil })
        let block: ConfigValue = ["tokenFilePath": "/run/hetzner/token", "hcloudEndpoint": .string(emulator.baseURL + "/v1")]
        let configuration = try plugin.decodeConfiguration(block, at: .root.appending("hetzner"), source: .operatorConfig)

        let fromOperator = try await plugin.makeProvider(for: configuration, context: HetznerFixture.context(origin: .operatorConfig))
        try await fromOperator.present(HetznerFixture.challenge(.present, fqdn, "from-file"))
        #expect(try await HetznerFixture.values(emulator, name: "_acme-challenge.www") == ["from-file"])

        let fromClusterIssuer = try await plugin.makeProvider(for: configuration, context: HetznerFixture.context(origin: .issuerConfig, allowAmbient: true))
        try await fromClusterIssuer.cleanUp(HetznerFixture.challenge(.cleanUp, fqdn, "from-file"))

        let refused = await dns01Failure { _ = try await plugin.makeProvider(for: configuration, context: HetznerFixture.context(origin: .issuerConfig)) }
        #expect(refused?.code == .forbiddenByPolicy)
        #expect(
            refused?.message
                == "tokenFilePath /run/hetzner/token reads a file in the webhook's pod, which an Issuer may do only when ambient credentials are allowed (a ClusterIssuer); use tokenSecretKeyRef with a Secret in the Issuer's namespace, or set tokenFilePath in the webhook's own config"
        )

        let missing = try plugin.decodeConfiguration(["tokenFilePath": "/run/nothing"], at: .root.appending("hetzner"), source: .operatorConfig)
        let unreadable = await dns01Failure { _ = try await plugin.makeProvider(for: missing, context: HetznerFixture.context()) }
        #expect(unreadable?.message == "cannot read the Hetzner API token file /run/nothing (tokenFilePath): is it mounted into the webhook's pod?")
    }
}
