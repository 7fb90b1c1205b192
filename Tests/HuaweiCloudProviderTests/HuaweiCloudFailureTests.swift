import DNS01
import HuaweiCloudProvider
import ProviderKit
import TestSupport
import Testing

/// What users see when something goes wrong, and the recoveries that keep a challenge going.
@Suite("Huawei Cloud DNS failures and recoveries", .serialized)
struct HuaweiCloudFailureTests {

    @Test("an IAM policy without the action names the action that was denied and the ones to allow")
    func iamDenied() async throws {
        let emulator = try await HuaweiFixture.emulator()
        try await emulator.admin("POST", "/__admin/faults", ["errors": [["status": 403, "code": "DNS.1802", "message": "Policy doesn't allow dns:recordset:create to be performed."]], "actions": ["CreateRecordSet"]])
        let provider = try await HuaweiFixture.provider(HuaweiFixture.plugin(), config: HuaweiFixture.config(emulator))
        let error = await dns01Failure { try await provider.present("_acme-challenge.example.com", "k") }
        #expect(error?.code == .providerRejected)
        #expect(
            error?.message
                == "the IAM identity of secret cert-manager/huaweicloud-secret may not call dns:recordset:create (DNS.1802): grant it the DNS FullAccess policy, or a custom policy allowing dns:zone:list, dns:recordset:list, dns:recordset:create, dns:recordset:update, dns:recordset:delete"
        )
        #expect(try await emulator.outcomes().filter { $0.hasPrefix("CreateRecordSet") } == ["CreateRecordSet DNS.1802"], "a denial is not retried")
    }

    @Test("an unknown access key is named as such")
    func unknownAccessKey() async throws {
        let emulator = try await HuaweiFixture.emulator()
        let provider = try await HuaweiFixture.provider(HuaweiFixture.plugin(), config: HuaweiFixture.config(emulator), context: HuaweiFixture.context(secrets: HuaweiFixture.secrets(accessKey: "HPUANOSUCHKEY")))
        let error = await dns01Failure { try await provider.present("_acme-challenge.example.com", "k") }
        #expect(error?.code == .credentialsUnavailable)
        #expect(error?.message == "Huawei Cloud does not know the access key (AK) from secret cert-manager/huaweicloud-secret (APIGW.0301): check that it is the AK of an existing, enabled access key (not its SK)")
    }

    @Test("a clock more than fifteen minutes off is reported as such, not as bad credentials")
    func clockSkew() async throws {
        let emulator = try await HuaweiFixture.emulator()
        try await emulator.admin("POST", "/__admin/clock", ["offsetSeconds": 1200])
        let provider = try await HuaweiFixture.provider(HuaweiFixture.plugin(), config: HuaweiFixture.config(emulator))
        let error = await dns01Failure { try await provider.present("_acme-challenge.example.com", "k") }
        #expect(error?.message == "Huawei Cloud refused the request time (APIGW.0301): this machine's clock is more than 15 minutes off; fix its time synchronisation (NTP)")
    }

    @Test("throttling and 5xx are retried with backoff, and reported when they outlast the retries")
    func throttlingAndServerErrors() async throws {
        let emulator = try await HuaweiFixture.emulator()
        let plugin = HuaweiFixture.plugin(retryPolicy: RetryPolicy(maximumAttempts: 3, baseDelay: .milliseconds(1), maximumDelay: .milliseconds(5)))
        try await emulator.admin("POST", "/__admin/faults", ["throttle": 1, "error5xx": 1])
        let provider = try await HuaweiFixture.provider(plugin, config: HuaweiFixture.config(emulator))
        try await provider.present("_acme-challenge.example.com", "k")
        #expect(try await emulator.storedValues("_acme-challenge.example.com.") == [#""k""#])

        try await emulator.admin("POST", "/__admin/faults", ["throttle": 10])
        let throttled = await dns01Failure { try await provider.cleanUp("_acme-challenge.example.com", "k") }
        #expect(throttled?.code == .providerUnavailable)
        #expect(throttled?.message == "Huawei Cloud DNS kept throttling ListRecordSetsByZone (APIGW.0308) through every retry: the account makes too many API calls; cert-manager will try again")

        try await emulator.admin("POST", "/__admin/faults", ["error5xx": 10])
        let failing = await dns01Failure { try await provider.cleanUp("_acme-challenge.example.com", "k") }
        #expect(failing?.message == "Huawei Cloud DNS kept failing ListRecordSetsByZone with HTTP 503 (APIGW.0205) through every retry; cert-manager will try again")
    }

    @Test("a CNAME at the name is reported as the conflict it is")
    func cnameConflict() async throws {
        let emulator = try await HuaweiFixture.emulator()
        try await emulator.seed(["records": [["zone": "example.com", "name": "_acme-challenge.example.com.", "type": "CNAME", "records": ["elsewhere.example.net."]]]])
        let provider = try await HuaweiFixture.provider(HuaweiFixture.plugin(), config: HuaweiFixture.config(emulator))
        let error = await dns01Failure { try await provider.present("_acme-challenge.example.com", "k") }
        #expect(error?.message == "a record set at _acme-challenge.example.com conflicts with the TXT record set (DNS.0312), usually a CNAME: remove it, or point the CNAME at a name this solver manages")
    }

    @Test("a name in no zone of the account says which account and how many zones it holds")
    func zoneNotFound() async throws {
        let emulator = try await HuaweiFixture.emulator()
        let provider = try await HuaweiFixture.provider(HuaweiFixture.plugin(), config: HuaweiFixture.config(emulator))
        let error = await dns01Failure { try await provider.present("_acme-challenge.www.example.org", "k") }
        #expect(error?.code == .zoneNotFound)
        #expect(
            error?.message
                == "no public zone in the Huawei Cloud account of secret cert-manager/huaweicloud-secret contains _acme-challenge.www.example.org (the account holds 2 public zones): add the zone in the Huawei Cloud DNS console, or use the access key of the account that holds it"
        )
    }

    @Test("a zoneId of another account is reported as not in this account")
    func foreignZoneId() async throws {
        let emulator = try await HuaweiFixture.emulator()
        let provider = try await HuaweiFixture.provider(HuaweiFixture.plugin(), config: HuaweiFixture.config(emulator, extra: ["zoneId": "ff80808200000000000000000000dead"]))
        let error = await dns01Failure { try await provider.present("_acme-challenge.example.com", "k") }
        #expect(error?.code == .zoneNotFound)
        #expect(error?.message.hasPrefix("the zone of _acme-challenge.example.com is not in the Huawei Cloud account of secret cert-manager/huaweicloud-secret (DNS.0302)") == true)
    }

    @Test("an endpoint nothing listens on fails at once, in plain words")
    func connectionRefused() async throws {
        let plugin = HuaweiFixture.plugin(retryPolicy: RetryPolicy(maximumAttempts: 2, baseDelay: .milliseconds(1), maximumDelay: .milliseconds(5)), environment: HuaweiCloudEnvironment(requestTimeout: .seconds(2)))
        let provider = try await HuaweiFixture.provider(plugin, config: ["endpoint": "http://127.0.0.1:9", "appKey": "HPUA1", "appSecret": "s"])
        let error = await dns01Failure { try await provider.present("_acme-challenge.example.com", "k") }
        #expect(error?.code == .providerUnavailable)
        #expect(error?.message.hasPrefix("cannot reach Huawei Cloud DNS at http://127.0.0.1:9: connection refused; check the endpoint's host and port") == true, "\(String(describing: error?.message))")
    }
}
