import AliDNSProvider
import DNS01
import Foundation
import ProviderKit
import Synchronization
import Testing

/// Retries and the messages cert-manager shows when AliDNS says no.
@Suite("AliDNS provider failures and retries", .serialized)
struct AliDNSFailureTests {
    /// The DNS01Error `body` throws; records an issue when it succeeds or throws anything else.
    func failure(_ body: () async throws -> Void) async -> DNS01Error? {
        do {
            try await body()
            Issue.record("expected a failure")
        } catch let error as DNS01Error {
            return error
        } catch {
            Issue.record("expected a DNS01Error, got \(error)")
        }
        return nil
    }

    @Test("throttling then success: retried with backoff, each attempt signed afresh")
    func throttlingThenSuccess() async throws {
        let emulator = try await AliDNSEmulator()
        let delays = Mutex<[Duration]>([])
        let policy = RetryPolicy(sleep: { delay in delays.withLock { $0.append(delay) } }, jitter: { $0 })
        let provider = try await Fixture.provider(Fixture.plugin(retryPolicy: policy), config: Fixture.config(emulator))
        try await emulator.injectFaults(["throttle": 2, "actions": ["AddDomainRecord"]])
        try await provider.present("_acme-challenge.example.com", "k")
        #expect(try await emulator.txt() == ["example.com _acme-challenge k"])
        #expect(
            try await emulator.actions().filter { $0.hasPrefix("AddDomainRecord") } == [
                "AddDomainRecord Throttling.User", "AddDomainRecord Throttling.User", "AddDomainRecord OK",
            ])
        // The emulator refuses a reused nonce, so the success above already proves fresh nonces.
        #expect(delays.withLock { $0 } == [.milliseconds(200), .milliseconds(400)])
    }

    @Test("5xx then success on listing and on delete")
    func serverErrorThenSuccess() async throws {
        let emulator = try await AliDNSEmulator()
        let provider = try await Fixture.provider(Fixture.plugin(), config: Fixture.config(emulator))
        try await provider.present("_acme-challenge.example.com", "k")
        try await emulator.injectFaults(["error5xx": 1, "actions": ["DescribeDomainRecords", "DeleteDomainRecord"]])
        try await provider.cleanUp("_acme-challenge.example.com", "k")
        try await emulator.injectFaults(["error5xx": 1, "error5xxStatus": 500, "error5xxCode": "InternalError", "actions": ["DeleteDomainRecord"]])
        try await provider.present("_acme-challenge.example.com", "k2")
        try await provider.cleanUp("_acme-challenge.example.com", "k2")
        #expect(try await emulator.txt() == [])
        let outcomes = try await emulator.actions()
        #expect(outcomes.contains("DescribeDomainRecords ServiceUnavailable"))
        #expect(outcomes.contains("DeleteDomainRecord InternalError"))
    }

    @Test("throttling that never ends gives a stable message without request ids")
    func throttlingForever() async throws {
        let emulator = try await AliDNSEmulator()
        let provider = try await Fixture.provider(Fixture.plugin(), config: Fixture.config(emulator))
        try await emulator.injectFaults(["throttle": 100, "actions": ["AddDomainRecord"]])
        let first = await failure { try await provider.present("_acme-challenge.example.com", "k") }
        let second = await failure { try await provider.present("_acme-challenge.example.com", "k") }
        #expect(first?.code == .providerUnavailable)
        #expect(first?.message == "AliDNS kept throttling AddDomainRecord (Throttling.User) through every retry: the account makes too many API calls; cert-manager will try again")
        #expect(first == second)
        #expect(try await emulator.actions().filter { $0 == "AddDomainRecord Throttling.User" }.count == 12)
    }

    @Test("a wrong AccessKey secret says the secret does not match its ID, names the Secret, and is stable")
    func wrongSecret() async throws {
        let emulator = try await AliDNSEmulator()
        let provider = try await Fixture.provider(Fixture.plugin(), config: Fixture.config(emulator), context: Fixture.context(secrets: Fixture.secrets(secret: "not-the-secret")))
        let first = await failure { try await provider.present("_acme-challenge.example.com", "k") }
        let second = await failure { try await provider.cleanUp("_acme-challenge.example.com", "k") }
        #expect(first?.code == .credentialsUnavailable)
        #expect(first?.message == "AliDNS rejected the request signature (SignatureDoesNotMatch): the AccessKey secret from secret cert-manager/alidns-secrets does not belong to its AccessKey ID; check the secret's value")
        #expect(first == second)
        #expect(first?.message.contains("not-the-secret") == false)
        // Not retried: a signature mismatch does not heal.
        #expect(try await emulator.actions() == ["DescribeDomains SignatureDoesNotMatch", "DescribeDomains SignatureDoesNotMatch"])
    }

    @Test("an unknown AccessKey ID says so")
    func unknownAccessKey() async throws {
        let emulator = try await AliDNSEmulator()
        let provider = try await Fixture.provider(Fixture.plugin(), config: Fixture.config(emulator), context: Fixture.context(secrets: Fixture.secrets(id: "LTAI-unknown")))
        let error = await failure { try await provider.present("_acme-challenge.example.com", "k") }
        #expect(error?.message == "AliDNS does not know the AccessKey ID from secret cert-manager/alidns-secrets (InvalidAccessKeyId.NotFound): check that it is the ID of an existing AccessKey (not its secret, and not deleted)")
    }

    @Test("Forbidden.RAM says which permission to grant")
    func forbidden() async throws {
        let emulator = try await AliDNSEmulator()
        let provider = try await Fixture.provider(Fixture.plugin(), config: Fixture.config(emulator))
        try await emulator.injectFaults(["errors": [["status": 403, "code": "Forbidden.RAM", "message": "User not authorized to operate on the specified resource."]], "actions": ["AddDomainRecord"]])
        let error = await failure { try await provider.present("_acme-challenge.example.com", "k") }
        #expect(error?.code == .providerRejected)
        #expect(
            error?.message
                == "the RAM identity of secret cert-manager/alidns-secrets may not call AddDomainRecord (Forbidden.RAM): grant it AliyunDNSFullAccess, or a policy allowing alidns:DescribeDomains, alidns:DescribeDomainRecords, alidns:AddDomainRecord and alidns:DeleteDomainRecord"
        )
    }

    @Test("a name outside the account's domains is a zone-not-found error that says what to do")
    func domainNotInAccount() async throws {
        let emulator = try await AliDNSEmulator()
        let provider = try await Fixture.provider(Fixture.plugin(), config: Fixture.config(emulator))
        let error = await failure { try await provider.present("_acme-challenge.www.example.org", "k", zone: "example.org") }
        #expect(error?.code == .zoneNotFound)
        #expect(
            error?.message
                == "no domain in the AliDNS account of secret cert-manager/alidns-secrets contains _acme-challenge.www.example.org (the account holds 3 domains): add the domain in the Alibaba Cloud DNS console, or use the AccessKey of the account that holds it"
        )
    }

    @Test("a clock more than 15 minutes off is reported as a clock problem")
    func clockSkew() async throws {
        let emulator = try await AliDNSEmulator()
        let skewed = RPCEnvironment(epochSeconds: { Int64(Date().timeIntervalSince1970) - 3600 })
        let provider = try await Fixture.provider(Fixture.plugin(environment: skewed), config: Fixture.config(emulator))
        let error = await failure { try await provider.present("_acme-challenge.example.com", "k") }
        #expect(error?.message == "AliDNS refused the request time (InvalidTimeStamp.Expired): this machine's clock is more than 15 minutes off; fix its time synchronisation (NTP)")
    }

    @Test("a TTL below the edition's minimum says which ttl to set")
    func ttlTooLow() async throws {
        let emulator = try await AliDNSEmulator()
        let provider = try await Fixture.provider(Fixture.plugin(), config: Fixture.config(emulator, extra: ["ttl": 60]))
        let error = await failure { try await provider.present("_acme-challenge.example.com", "k") }
        #expect(error?.message.hasPrefix("AliDNS refused the record's TTL (QuotaExceeded.TTL): ") == true)
        #expect(error?.message.contains("set ttl to at least 600") == true)
    }

    @Test("an unreachable endpoint is retried, then reported as unavailable")
    func unreachable() async throws {
        // AsyncHTTPClient keeps trying to connect until the request's deadline; keep it short.
        let plugin = Fixture.plugin(environment: RPCEnvironment(requestTimeout: .milliseconds(500)))
        let configuration = try await plugin.decodeConfiguration(Fixture.config(try AliDNSEmulator(), extra: ["endpoint": "http://127.0.0.1:9"]), at: .root, source: .operatorConfig)
        let provider = try await plugin.makeProvider(for: configuration, context: Fixture.context())
        let error = await failure { try await provider.present("_acme-challenge.example.com", "k") }
        #expect(error?.code == .providerUnavailable)
        #expect(error?.message.hasPrefix("cannot reach AliDNS at http://127.0.0.1:9: ") == true)
    }
}
