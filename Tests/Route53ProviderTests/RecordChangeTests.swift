import DNS01
import ProviderKit
import Route53Emulator
import Testing

@testable import Route53Provider

/// Present, CleanUp and read-back against the model of real Route53.
@Suite("Route53 records (against the Route53 model)")
struct RecordChangeTests {
    let emulator = Route53Emulator(
        options: {
            var o = Route53Emulator.Options()
            o.requestsPerSecond = nil
            return o
        }())
    let zone: String
    init() { zone = emulator.addZone("example.com") }

    @Test("present writes cert-manager's multivalue set: SetIdentifier = quoted value, MultiValueAnswer, TTL 10, its comment")
    func presentShape() async throws {
        let provider = try await R53.provider(R53.plugin(emulator))
        try await provider.present(R53.challenge(.present, "_acme-challenge.www.example.com", key: "abc123"))
        #expect(
            emulator.recordSets(inZone: zone) == [
                .init(name: "_acme-challenge.www.example.com.", setIdentifier: "\"abc123\"", multiValue: true, ttl: 10, values: ["\"abc123\""])
            ])
        let post = try #require(emulator.requests.first { $0.method == "POST" })
        let body = try XMLNode.parse(post.body)
        #expect(body.text(at: "ChangeBatch", "Comment") == "Managed by cert-manager")
        #expect(body.text(at: "ChangeBatch", "Changes", "Change", "Action") == "UPSERT")
        #expect(post.url == "https://route53.test/2013-04-01/hostedzone/\(zone)/rrset")
        #expect(post.header("Authorization")?.contains("Credential=AKIDTEST/") == true)
        #expect(post.header("Authorization")?.contains("/us-east-1/route53/aws4_request, SignedHeaders=host;x-amz-date, ") == true)
    }

    @Test("apex and wildcard keys on one name both stay, and each cleanup removes only its own")
    func apexAndWildcard() async throws {
        let provider = try await R53.provider(R53.plugin(emulator))
        let name = "_acme-challenge.example.com"
        async let apex: Void = provider.present(R53.challenge(.present, name, key: "apex-key"))
        async let wildcard: Void = provider.present(R53.challenge(.present, name, key: "wildcard-key"))
        _ = try await (apex, wildcard)
        #expect(try await provider.txtValues(at: DomainName(name), zone: nil).sorted() == ["apex-key", "wildcard-key"])
        try await provider.cleanUp(R53.challenge(.cleanUp, name, key: "apex-key"))
        #expect(try await provider.txtValues(at: DomainName(name), zone: nil) == ["wildcard-key"])
        try await provider.cleanUp(R53.challenge(.cleanUp, name, key: "wildcard-key"))
        #expect(emulator.recordSets(inZone: zone).isEmpty)
    }

    @Test(
        "present twice and cleanup twice succeed; cleanup of a value never presented succeeds (Route53's \"not found\"), in both error shapes",
        arguments: [Route53Emulator.ErrorShape.invalidChangeBatchMessages, .errorResponse])
    func idempotent(shape: Route53Emulator.ErrorShape) async throws {
        var options = Route53Emulator.Options()
        options.requestsPerSecond = nil
        options.errorShape = shape
        let emulator = Route53Emulator(options: options)
        let zone = emulator.addZone("example.com")
        let provider = try await R53.provider(R53.plugin(emulator))
        let name = "_acme-challenge.example.com"
        try await provider.present(R53.challenge(.present, name, key: "k1"))
        try await provider.present(R53.challenge(.present, name, key: "k1"))
        #expect(emulator.txtValues(at: "\(name).", inZone: zone) == ["\"k1\""])
        try await provider.cleanUp(R53.challenge(.cleanUp, name, key: "k1"))
        try await provider.cleanUp(R53.challenge(.cleanUp, name, key: "k1"))
        try await provider.cleanUp(R53.challenge(.cleanUp, name, key: "never-presented"))
        #expect(emulator.recordSets(inZone: zone).isEmpty)
        #expect(emulator.calls("ChangeResourceRecordSets") == 5)
    }

    @Test("a leftover simple TXT record makes present fail with Route53's reason, the same message every time, without a request id")
    func stableRejection() async throws {
        emulator.put(.init(name: "_acme-challenge.example.com.", ttl: 300, values: ["\"old\""]), inZone: zone)
        let provider = try await R53.provider(R53.plugin(emulator))
        var messages: [String] = []
        for _ in 0..<2 {
            let error = try await #require(throws: DNS01Error.self) {
                try await provider.present(R53.challenge(.present, "_acme-challenge.example.com", key: "new"))
            }
            #expect(error.code == .providerRejected)
            messages.append(error.message)
        }
        #expect(messages[0] == messages[1])
        #expect(
            messages[0]
                == "route53: failed to change Route 53 record set: ChangeResourceRecordSets: InvalidChangeBatch: RRSet with DNS name _acme-challenge.example.com., type TXT, SetIdentifier \"new\" cannot be created because a non multivalue answer rrset exists with the same name and type."
        )
        #expect(!messages[0].contains("RequestId"))
    }

    @Test("read-back reads every page and keeps only the exact name, simple and multivalue sets alike")
    func readBackPaging() async throws {
        var options = Route53Emulator.Options()
        options.requestsPerSecond = nil
        options.maximumPageSize = 2
        let emulator = Route53Emulator(options: options)
        let zone = emulator.addZone("example.com")
        let name = "_acme-challenge.example.com."
        for value in ["a", "b", "c", "d", "e"] {
            emulator.put(.init(name: name, setIdentifier: "\"\(value)\"", multiValue: true, ttl: 10, values: ["\"\(value)\""]), inZone: zone)
        }
        emulator.put(.init(name: "sub._acme-challenge.example.com.", setIdentifier: "\"x\"", multiValue: true, ttl: 10, values: ["\"x\""]), inZone: zone)
        emulator.put(.init(name: "_acme-challenge.example.com.", type: "A", values: ["192.0.2.1"]), inZone: zone)
        let provider = try await R53.provider(R53.plugin(emulator), R53.config(["hostedZoneID": .string(zone)]))
        let values = try await provider.txtValues(at: DomainName(name), zone: nil)
        #expect(values.sorted() == ["a", "b", "c", "d", "e"])
        #expect(emulator.calls("ListResourceRecordSets") == 3)
    }

    @Test("waitForInSync makes present return only once GetChange says INSYNC, and read-back waits for a pending change")
    func waitsForInSync() async throws {
        func emulator(syncDelay: Duration) -> Route53Emulator {
            var options = Route53Emulator.Options()
            options.requestsPerSecond = nil
            options.syncDelay = syncDelay
            let emulator = Route53Emulator(options: options)
            emulator.addZone("example.com")
            return emulator
        }
        let syncing = emulator(syncDelay: .milliseconds(400))
        let waiting = try await R53.provider(R53.plugin(syncing), R53.config(["waitForInSync": true]))
        try await waiting.present(R53.challenge(.present, "_acme-challenge.a.example.com", key: "k"))
        #expect(syncing.pendingChangeCount == 0)
        #expect(syncing.calls("GetChange") >= 1)

        // A delay far longer than any scheduling hiccup, so "still pending" cannot race.
        let slow = emulator(syncDelay: .seconds(60))
        let notWaiting = try await R53.provider(R53.plugin(slow))
        try await notWaiting.present(R53.challenge(.present, "_acme-challenge.b.example.com", key: "k"))
        #expect(slow.pendingChangeCount == 1)
        #expect(slow.calls("GetChange") == 0)

        let readBack = emulator(syncDelay: .milliseconds(400))
        let reader = try await R53.provider(R53.plugin(readBack))
        try await reader.present(R53.challenge(.present, "_acme-challenge.c.example.com", key: "k"))
        #expect(readBack.calls("GetChange") == 0)
        _ = try await reader.txtValues(at: DomainName("_acme-challenge.c.example.com"), zone: nil)
        #expect(readBack.pendingChangeCount == 0)
        #expect(readBack.calls("GetChange") >= 1)
    }
}

@Suite("Route53 INSYNC wait and SetIdentifier")
struct SyncAndIdentifierTests {
    @Test("a change that never becomes INSYNC times out with cert-manager's wording and the last error, without a request id")
    func syncTimeout() async throws {
        var options = Route53Emulator.Options()
        options.requestsPerSecond = nil
        options.syncDelay = .seconds(3600)
        let emulator = Route53Emulator(options: options)
        emulator.addZone("example.com")
        emulator.script("GetChange", [Route53Emulator.errorResponse(code: "InternalFailure", message: "An internal error occurred", status: 500)])
        let waiter = ChangeSyncWaiter(interval: .milliseconds(5), timeout: .milliseconds(60))
        let client = Route53Client(
            endpoint: "https://route53.test", signer: SigV4Signer(credentials: AWSCredentials(accessKeyID: "AKID", secretAccessKey: SecretValue("s")), region: "us-east-1", service: "route53"),
            sender: AWSRequestSender(transport: emulator, retryPolicy: RetryPolicy(maximumAttempts: 1)))
        let info = try await client.changeResourceRecordSets(zoneID: "Z1EMU", changes: [TXTChange(action: .upsert, name: "a.example.com.", quotedValue: "\"v\"", setIdentifier: "\"v\"")])
        let error = try await #require(throws: DNS01Error.self) { try await waiter.waitUntilInSync(info.id, client: client) }
        #expect(error.code == .timedOut)
        #expect(error.message == "route53: waiting for the change to be INSYNC: Time limit exceeded. Last error: the change was still PENDING")
        #expect(emulator.calls("GetChange") >= 2, "a failed poll does not end the wait")
    }

    @Test("SetIdentifier is the quoted value, as cert-manager writes it, and a digest only past Route53's 128 characters")
    func setIdentifier() {
        #expect(Route53DNSProvider.setIdentifier(for: "\"abc\"") == "\"abc\"")
        let long = "\"" + String(repeating: "x", count: 200) + "\""
        let digest = Route53DNSProvider.setIdentifier(for: long)
        #expect(digest.hasPrefix("sha256:") && digest.count <= 128)
        #expect(digest != Route53DNSProvider.setIdentifier(for: "\"" + String(repeating: "y", count: 200) + "\""))
    }
}
