import DNS01
import DNSPodProvider
import Foundation
import ProviderKit
import TestSupport
import Testing

/// What users see when something goes wrong, and the recoveries that keep a challenge going.
@Suite("DNSPod failures and recoveries", .serialized)
struct DNSPodFailureTests {

    @Test("a CAM policy without the action names the dnspod: action that was denied and the ones to allow")
    func camDenied() async throws {
        let emulator = try await DNSPodFixture.emulator()
        try await emulator.admin("POST", "/__admin/faults", ["errors": [["code": "AuthFailure.UnauthorizedOperation", "message": "you are not authorized to perform operation (dnspod:CreateRecord)"]], "actions": ["CreateRecord"]])
        let provider = try await DNSPodFixture.provider(DNSPodFixture.plugin(), config: DNSPodFixture.config(emulator))
        let error = await dns01Failure { try await provider.present("_acme-challenge.example.com", "k") }
        #expect(error?.code == .providerRejected)
        #expect(
            error?.message
                == "the CAM identity of secret cert-manager/dnspod-secret may not call dnspod:CreateRecord (AuthFailure.UnauthorizedOperation): grant it QcloudDNSPodFullAccess, or a policy allowing dnspod:DescribeDomainList, dnspod:DescribeRecordList, dnspod:DescribeRecord, dnspod:CreateRecord, dnspod:DeleteRecord"
        )
        #expect(try await emulator.outcomes().filter { $0.hasPrefix("CreateRecord") } == ["CreateRecord AuthFailure.UnauthorizedOperation"], "a denial is not retried")
    }

    @Test("a TTL below the plan's minimum names the field to change")
    func ttlTooLow() async throws {
        let emulator = try await DNSPodFixture.emulator()
        let provider = try await DNSPodFixture.provider(DNSPodFixture.plugin(), config: DNSPodFixture.config(emulator, extra: ["ttl": 300]))
        let error = await dns01Failure { try await provider.present("_acme-challenge.example.com", "k") }
        #expect(error?.code == .invalidConfiguration)
        #expect(error?.message == "DNSPod refused the record's TTL (LimitExceeded.RecordTtlLimit): the domain's plan needs a larger ttl; set ttl to at least 600, the free plan's minimum")
    }

    @Test("a line the domain does not have names recordLine")
    func unknownLine() async throws {
        let emulator = try await DNSPodFixture.emulator()
        let provider = try await DNSPodFixture.provider(DNSPodFixture.plugin(), config: DNSPodFixture.config(emulator, extra: ["recordLine": "火星"]))
        let error = await dns01Failure { try await provider.present("_acme-challenge.example.com", "k") }
        #expect(error?.message.hasPrefix("DNSPod does not offer the recordLine of the config on the domain of _acme-challenge.example.com (InvalidParameter.RecordLineInvalid)") == true)
    }

    @Test("records go on the configured line; the default is 默认")
    func lines() async throws {
        let emulator = try await DNSPodFixture.emulator()
        try await DNSPodFixture.provider(DNSPodFixture.plugin(), config: DNSPodFixture.config(emulator)).present("_acme-challenge.example.com", "default-line")
        try await DNSPodFixture.provider(DNSPodFixture.plugin(), config: DNSPodFixture.config(emulator, extra: ["recordLine": "境外", "ttl": 3600])).present("_acme-challenge.example.com", "abroad")
        let records = try await emulator.dnspodRecords().filter { $0["Type"] as? String == "TXT" }
        #expect(records.map { "\($0["Value"] ?? "") \($0["Line"] ?? "") \($0["TTL"] ?? "")" }.sorted() == ["abroad 境外 3600", "default-line 默认 600"])
    }

    @Test("a clock more than five minutes off is reported as such, not as bad credentials")
    func clockSkew() async throws {
        let emulator = try await DNSPodFixture.emulator()
        try await emulator.admin("POST", "/__admin/clock", ["offsetSeconds": 600])
        let provider = try await DNSPodFixture.provider(DNSPodFixture.plugin(), config: DNSPodFixture.config(emulator))
        let error = await dns01Failure { try await provider.present("_acme-challenge.example.com", "k") }
        #expect(error?.message == "DNSPod refused the request time (AuthFailure.SignatureExpire): this machine's clock is more than 5 minutes off; fix its time synchronisation (NTP)")
    }

    @Test("throttling is retried with backoff, and reported when it outlasts the retries")
    func throttling() async throws {
        let emulator = try await DNSPodFixture.emulator()
        let plugin = DNSPodFixture.plugin(retryPolicy: RetryPolicy(maximumAttempts: 3, baseDelay: .milliseconds(1), maximumDelay: .milliseconds(5)))
        try await emulator.admin("POST", "/__admin/faults", ["throttle": 2])
        let provider = try await DNSPodFixture.provider(plugin, config: DNSPodFixture.config(emulator))
        try await provider.present("_acme-challenge.example.com", "after-throttling")
        #expect(try await emulator.dnspodTXT() == ["example.com _acme-challenge after-throttling"])

        try await emulator.admin("POST", "/__admin/faults", ["throttle": 10])
        let error = await dns01Failure { try await provider.cleanUp("_acme-challenge.example.com", "after-throttling") }
        #expect(error?.code == .providerUnavailable)
        #expect(error?.message == "DNSPod kept throttling DescribeRecordList (RequestLimitExceeded) through every retry: the account makes too many API calls; cert-manager will try again")
        #expect(try await emulator.outcomes().filter { $0 == "DescribeRecordList RequestLimitExceeded" }.count == 3)
    }

    @Test("internal errors and gateway failures are retried; a lasting gateway failure is reported with its status")
    func serverErrors() async throws {
        let emulator = try await DNSPodFixture.emulator()
        let plugin = DNSPodFixture.plugin(retryPolicy: RetryPolicy(maximumAttempts: 3, baseDelay: .milliseconds(1), maximumDelay: .milliseconds(5)))
        try await emulator.admin("POST", "/__admin/faults", ["errors": [["code": "InternalError", "message": "An internal error has occurred."]], "error5xx": 1])
        let provider = try await DNSPodFixture.provider(plugin, config: DNSPodFixture.config(emulator))
        try await provider.present("_acme-challenge.example.com", "k")
        #expect(try await emulator.dnspodTXT() == ["example.com _acme-challenge k"])

        try await emulator.admin("POST", "/__admin/faults", ["error5xx": 10])
        let error = await dns01Failure { try await provider.cleanUp("_acme-challenge.example.com", "k") }
        #expect(error?.message == "DNSPod kept failing DescribeRecordList with HTTP 502 (HTTP502) through every retry; cert-manager will try again")
    }

    @Test("an endpoint nothing listens on fails at once, in plain words")
    func connectionRefused() async throws {
        let plugin = DNSPodFixture.plugin(retryPolicy: RetryPolicy(maximumAttempts: 2, baseDelay: .milliseconds(1), maximumDelay: .milliseconds(5)), environment: TencentCloudEnvironment(requestTimeout: .seconds(2)))
        let provider = try await DNSPodFixture.provider(plugin, config: ["endpoint": "http://127.0.0.1:9", "secretId": "AKID1", "secretKeyRef": ["name": "dnspod-secret", "key": "secret-key"]])
        let error = await dns01Failure { try await provider.present("_acme-challenge.example.com", "k") }
        #expect(error?.code == .providerUnavailable)
        #expect(error?.message.hasPrefix("cannot reach DNSPod at http://127.0.0.1:9: connection refused; check the endpoint's host and port") == true, "\(String(describing: error?.message))")
    }

    @Test("a name in no domain of the account says which account and how many domains it holds")
    func zoneNotFound() async throws {
        let emulator = try await DNSPodFixture.emulator()
        let provider = try await DNSPodFixture.provider(DNSPodFixture.plugin(), config: DNSPodFixture.config(emulator))
        let error = await dns01Failure { try await provider.present("_acme-challenge.www.example.org", "k") }
        #expect(error?.code == .zoneNotFound)
        #expect(
            error?.message
                == "no domain in the DNSPod account of secret cert-manager/dnspod-secret contains _acme-challenge.www.example.org (the account holds 2 domains): add the domain in the DNSPod console, or use the API key of the account that holds it")
    }

    @Test("the longest domain of the account wins, and the record name is relative to it")
    func longestDomain() async throws {
        let emulator = try await DNSPodFixture.emulator(config: [
            "accounts": [["secretId": DNSPodFixture.secretId, "secretKey": DNSPodFixture.secretKey, "domains": ["example.com", "sub.example.com"]]]
        ])
        let provider = try await DNSPodFixture.provider(DNSPodFixture.plugin(), config: DNSPodFixture.config(emulator))
        try await provider.present("_acme-challenge.www.sub.example.com", "nested")
        try await provider.present("_acme-challenge.example.com", "apex")
        #expect(try await emulator.dnspodTXT() == ["example.com _acme-challenge apex", "sub.example.com _acme-challenge.www nested"])
    }

    @Test("a name with more records than one page is read through every page, and clean-up keeps the others")
    func pagination() async throws {
        let emulator = try await DNSPodFixture.emulator()
        try await emulator.seed(["domain": "example.com", "count": 3005, "subDomain": "_acme-challenge.busy", "value": "other-{i}"])
        let provider = try await DNSPodFixture.provider(DNSPodFixture.plugin(), config: DNSPodFixture.config(emulator))
        try await provider.present("_acme-challenge.busy.example.com", "mine")
        #expect(try await provider.values("_acme-challenge.busy.example.com").count == 3006)
        try await provider.cleanUp("_acme-challenge.busy.example.com", "mine")
        let values = try await provider.values("_acme-challenge.busy.example.com")
        #expect(values.count == 3005 && !values.contains("mine"))
        #expect(try await emulator.outcomes().filter { $0 == "DescribeRecordList OK" }.count == 6)
    }

    @Test("clean-up deletes its own record even when the record list lags behind the write")
    func laggingRecordList() async throws {
        let emulator = try await DNSPodFixture.emulator()
        let lagging = DNSPodFixture.plugin(transport: LaggingRecordList())
        let provider = try await DNSPodFixture.provider(lagging, config: DNSPodFixture.config(emulator))
        try await provider.present("_acme-challenge.example.com", "fresh")
        #expect(try await provider.values("_acme-challenge.example.com") == [], "the list lags")
        try await provider.cleanUp("_acme-challenge.example.com", "fresh")
        #expect(try await emulator.dnspodTXT() == [])
        #expect(try await emulator.outcomes().suffix(3) == ["DescribeRecordList OK", "DescribeRecord OK", "DeleteRecord OK"])

        // A remembered record that someone else deleted meanwhile is skipped without an error.
        try await provider.present("_acme-challenge.example.com", "gone")
        try await DNSPodFixture.provider(DNSPodFixture.plugin(), config: DNSPodFixture.config(emulator)).cleanUp("_acme-challenge.example.com", "gone")
        try await provider.cleanUp("_acme-challenge.example.com", "gone")
        #expect(try await emulator.outcomes().suffix(2) == ["DescribeRecordList OK", "DescribeRecord InvalidParameter.RecordIdInvalid"])
    }
}

/// A transport whose `DescribeRecordList` answers come back empty, as DNSPod's list can for
/// about 30 s after a write.
struct LaggingRecordList: HTTPTransport {
    let base = AsyncHTTPClientTransport()

    func send(_ request: APIRequest, timeout: Duration) async throws -> APIResponse {
        var response = try await base.send(request, timeout: timeout)
        guard request.header("X-TC-Action") == "DescribeRecordList",
            var object = try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any],
            var inner = object["Response"] as? [String: Any], inner["Error"] == nil
        else { return response }
        inner["RecordList"] = [Any]()
        inner["RecordCountInfo"] = ["SubdomainCount": 0, "ListCount": 0, "TotalCount": 0]
        object["Response"] = inner
        response.body = Array(try JSONSerialization.data(withJSONObject: object))
        return response
    }
}
