import DNS01
import Foundation
import OVHProvider
import ProviderKit
import Synchronization
import TestSupport
import Testing

@Suite("OVH provider against the emulator", .serialized)
struct OVHProviderTests {
    let fqdn = "_acme-challenge.www.example.com"
    let subDomain = "_acme-challenge.www"

    @Test("Present and CleanUp publish their change with the zone's refresh")
    func publishes() async throws {
        let emulator = try await EmulatorPeer("ovh_emulator.py")
        let provider = try await OVHFixture.provider(config: OVHFixture.config(emulator))
        try await provider.present(OVHFixture.challenge(.present, fqdn, "k1"))
        #expect(try await OVHFixture.values(emulator, subDomain: subDomain) == ["k1"])
        try await provider.cleanUp(OVHFixture.challenge(.cleanUp, fqdn, "k1"))
        #expect(try await OVHFixture.values(emulator, subDomain: subDomain) == [])
        #expect(try await OVHFixture.values(emulator, subDomain: subDomain, published: false) == [])
        let refreshes = try await emulator.state()["refreshes"] as? [String: Int]
        #expect(refreshes?["example.com"] == 2)
    }

    @Test("signatures use the server's clock, learned once from /auth/time, even an hour away from ours")
    func serverClock() async throws {
        let emulator = try await EmulatorPeer("ovh_emulator.py")
        try await emulator.admin("POST", "/__admin/clock", ["offsetSeconds": 3600])
        let provider = try await OVHFixture.provider(config: OVHFixture.config(emulator))
        try await provider.present(OVHFixture.challenge(.present, fqdn, "k"))
        try await provider.cleanUp(OVHFixture.challenge(.cleanUp, fqdn, "k"))
        #expect(try await OVHFixture.calls(emulator).filter { $0.hasPrefix("authTime") } == ["authTime OK"])
    }

    @Test("a QUERY_TIME_OUT makes the provider read the server's clock again and retry")
    func clockDrift() async throws {
        let emulator = try await EmulatorPeer("ovh_emulator.py")
        let provider = try await OVHFixture.provider(config: OVHFixture.config(emulator))
        try await provider.present(OVHFixture.challenge(.present, fqdn, "before"))
        try await emulator.admin("POST", "/__admin/clock", ["offsetSeconds": 1000])
        try await provider.present(OVHFixture.challenge(.present, fqdn, "after"))
        let calls = try await OVHFixture.calls(emulator)
        #expect(calls.contains { $0.hasSuffix("QUERY_TIME_OUT") }, "\(calls)")
        #expect(calls.filter { $0.hasPrefix("authTime") }.count == 2, "\(calls)")
        #expect(Set(try await OVHFixture.values(emulator, subDomain: subDomain)) == ["before", "after"])
    }

    @Test("the older webhook's inline applicationKey and consumerKey work")
    func olderWebhookConfig() async throws {
        let emulator = try await EmulatorPeer("ovh_emulator.py")
        let provider = try await OVHFixture.provider(config: [
            "endpoint": .string(emulator.baseURL + "/1.0"),
            "applicationKey": .string(OVHFixture.applicationKey),
            "applicationSecretRef": ["key": "applicationSecret", "name": "ovh-credentials"],
            "consumerKey": .string(OVHFixture.consumerKey),
        ])
        try await provider.present(OVHFixture.challenge(.present, fqdn, "baarde"))
        #expect(try await provider.txtValues(at: DomainName(fqdn), zone: nil) == ["baarde"])
    }

    @Test("an OAuth2 token is fetched once, reused, and fetched again when the API stops accepting it")
    func oauth2Tokens() async throws {
        let emulator = try await EmulatorPeer("ovh_emulator.py")
        let plugin = OVHFixture.plugin()
        let provider = try await OVHFixture.provider(plugin, config: OVHFixture.oauth2Config(emulator))
        try await provider.present(OVHFixture.challenge(.present, fqdn, "a"))
        try await provider.present(OVHFixture.challenge(.present, fqdn, "b"))
        #expect(try await OVHFixture.calls(emulator).filter { $0.hasPrefix("oauth2Token") } == ["oauth2Token OK"])
        // The emulator's tokens live an hour: two hours later the API refuses it.
        try await emulator.admin("POST", "/__admin/clock", ["offsetSeconds": 7200])
        try await provider.cleanUp(OVHFixture.challenge(.cleanUp, fqdn, "a"))
        let calls = try await OVHFixture.calls(emulator)
        #expect(calls.filter { $0.hasPrefix("oauth2Token") }.count == 2, "\(calls)")
        #expect(calls.contains { $0.hasSuffix("INVALID_CREDENTIAL") }, "\(calls)")
        #expect(try await OVHFixture.values(emulator, subDomain: subDomain) == ["b"])
    }

    @Test("a consumer key without the rights, and a zone of another account, fail saying what to fix")
    func clearFailures() async throws {
        let emulator = try await EmulatorPeer("ovh_emulator.py")
        let readOnly = try await OVHFixture.provider(config: OVHFixture.config(emulator, secret: "readonly"))
        let denied = await dns01Failure { try await readOnly.present(OVHFixture.challenge(.present, fqdn, "k")) }
        #expect(denied?.code == .credentialsUnavailable)
        #expect(
            denied?.message
                == "the consumer key from secret cert-manager/readonly may not create a TXT record (NOT_GRANTED_CALL): it needs the rights GET /domain/zone/*, POST /domain/zone/*/record, POST /domain/zone/*/refresh and DELETE /domain/zone/*/record/* (and GET /domain/zone, optionally, to list zones in one call)"
        )

        let provider = try await OVHFixture.provider(config: OVHFixture.config(emulator))
        let elsewhere = await dns01Failure { try await provider.present(OVHFixture.challenge(.present, "_acme-challenge.other.example", "k")) }
        #expect(elsewhere?.code == .zoneNotFound)
        #expect(
            elsewhere?.message
                == "no DNS zone of the OVH account of the application key, secret and consumer key from secret cert-manager/ovh-credentials contains _acme-challenge.other.example (the account has 2 zones at \(emulator.baseURL)/1.0): check the endpoint (ovh-eu, ovh-ca, ovh-us…) and that the zone is hosted by OVH in this account"
        )
    }

    @Test("a consumer key with the rights the OVH webhooks' READMEs ask for (/domain/zone/* only) finds the zone by asking for the name's ancestors")
    func consumerKeyWithoutZoneList() async throws {
        let emulator = try await EmulatorPeer(
            "ovh_emulator.py",
            config: [
                "applications": [["applicationKey": OVHFixture.applicationKey, "applicationSecret": OVHFixture.applicationSecret]],
                "consumerKeys": [
                    [
                        "consumerKey": OVHFixture.consumerKey, "applicationKey": OVHFixture.applicationKey, "account": "nic-1",
                        "accessRules": ["GET", "PUT", "POST", "DELETE"].map { ["method": $0, "path": "/domain/zone/*"] },
                    ]
                ],
                "accounts": [["name": "nic-1", "zones": ["example.com", "sub.example.com"]]],
            ])
        let provider = try await OVHFixture.provider(config: OVHFixture.config(emulator))
        try await provider.present(OVHFixture.challenge(.present, "_acme-challenge.www.sub.example.com", "nested"))
        try await provider.present(OVHFixture.challenge(.present, "_acme-challenge.www.sub.example.com", "second"))
        #expect(Set(try await OVHFixture.values(emulator, zone: "sub.example.com", subDomain: "_acme-challenge.www")) == ["nested", "second"])
        let calls = try await OVHFixture.calls(emulator)
        #expect(calls.filter { $0.hasPrefix("listZones") } == ["listZones NOT_GRANTED_CALL"], "\(calls)")
        // _acme-challenge.www.sub.example.com, www.sub.example.com, then sub.example.com: once, then cached.
        #expect(calls.filter { $0.hasPrefix("getZone") } == ["getZone Client::NotFound", "getZone Client::NotFound", "getZone OK"], "\(calls)")
        try await provider.cleanUp(OVHFixture.challenge(.cleanUp, "_acme-challenge.www.sub.example.com", "nested"))
        #expect(try await OVHFixture.values(emulator, zone: "sub.example.com", subDomain: "_acme-challenge.www") == ["second"])
    }

    @Test("the apex is sub-domain \"\" and a quoted target is matched")
    func apexAndQuotes() async throws {
        let emulator = try await EmulatorPeer("ovh_emulator.py")
        try await emulator.seed(["records": [["zone": "example.com", "subDomain": "", "fieldType": "TXT", "target": "\"quoted\"", "ttl": 60]]])
        let provider = try await OVHFixture.provider(config: OVHFixture.config(emulator))
        #expect(try await provider.txtValues(at: DomainName("example.com"), zone: nil) == ["quoted"])
        try await provider.present(OVHFixture.challenge(.present, "example.com", "quoted"))
        #expect(try await OVHFixture.values(emulator, subDomain: "", published: false) == ["\"quoted\""])
        try await provider.cleanUp(OVHFixture.challenge(.cleanUp, "example.com", "quoted"))
        #expect(try await OVHFixture.values(emulator, subDomain: "") == [])
    }
}
