import DNSClient
import DNSWire
import TestSupport
import Testing

/// The DNS client against a real authoritative server (Knot DNS) on 127.0.0.1.
@Suite("DNS client against Knot", .serialized)
struct DNSExchangeTests {
    /// Generous: on two shared cores a loaded CI machine can take seconds to schedule knotd.
    static let patience: Duration = .seconds(15)
    static let manyValues = (0..<40).map { "value-\($0)-" + String(repeating: "x", count: 40) }

    func withKnot(_ body: (KnotServer) async throws -> Void) async throws {
        let records = """
            _acme-challenge.www IN TXT "one"
            _acme-challenge.www IN TXT "two" "parts"
            _acme-challenge.big IN TXT \(Self.manyValues.map { "\"\($0)\"" }.joined(separator: "\n_acme-challenge.big IN TXT "))
            empty IN A 127.0.0.1
            """
        let knot = try await KnotServer.start(zones: ["example.com": records])
        defer { knot.stop() }
        try await body(knot)
    }

    @Test("reads every TXT value at a name, joining character-strings")
    func readsValues() async throws {
        try await withKnot { knot in
            let exchange = try DNSExchange(hostAndPort: knot.address, timeout: Self.patience)
            let result = try await exchange.txtLookup("_acme-challenge.www.example.com.")
            #expect(Set(result.values) == ["one", "twoparts"])
        }
    }

    @Test("tells NXDOMAIN from a name without TXT records")
    func nxdomain() async throws {
        try await withKnot { knot in
            let exchange = try DNSExchange(hostAndPort: knot.address, timeout: Self.patience)
            #expect(try await exchange.txtLookup("_acme-challenge.missing.example.com") == .nameDoesNotExist)
            #expect(try await exchange.txtLookup("empty.example.com") == .values([]))
        }
    }

    @Test("falls back to TCP when the UDP answer is truncated")
    func tcpFallback() async throws {
        try await withKnot { knot in
            let exchange = try DNSExchange(hostAndPort: knot.address, timeout: Self.patience)
            let udp = try await exchange.sendUDP(.query(id: 1, name: "_acme-challenge.big.example.com", type: .txt, recursionDesired: false))
            #expect(udp.flags.truncated, "the test RRset must exceed 512 bytes to prove the fallback")
            let result = try await exchange.txtLookup("_acme-challenge.big.example.com")
            #expect(Set(result.values) == Set(Self.manyValues))
        }
    }

    @Test("a nameserver given by host name is resolved when used, not when the exchange is made")
    func hostName() async throws {
        try await withKnot { knot in
            let exchange = try DNSExchange(hostAndPort: "localhost:\(knot.port)", timeout: Self.patience)
            let address = try await exchange.serverAddress()
            #expect(["127.0.0.1", "::1"].contains(address.ipAddress ?? ""))
            // Knot listens on 127.0.0.1 only; where localhost resolves to ::1 first, the
            // resolution above is the whole check.
            if address.ipAddress == "127.0.0.1" {
                #expect(Set(try await exchange.txtLookup("_acme-challenge.www.example.com.").values) == ["one", "twoparts"])
            }
        }
        // Making an exchange for a name that does not resolve succeeds; using it says why not.
        let unresolvable = try DNSExchange(hostAndPort: "no-such-host.invalid:53", timeout: .seconds(2))
        await #expect {
            try await unresolvable.txtLookup("example.com")
        } throws: { error in
            "\(error)".contains("cannot resolve nameserver \"no-such-host.invalid\"")
        }
    }

    @Test("a refused query is an error naming the rcode")
    func refused() async throws {
        try await withKnot { knot in
            let exchange = try DNSExchange(hostAndPort: knot.address, timeout: Self.patience)
            await #expect(throws: DNSClientError.self) { try await exchange.txtLookup("www.not-served.org") }
        }
    }

    @Test("a silent server times out instead of hanging")
    func timeout() async throws {
        // Nothing listens on this UDP port on loopback.
        let exchange = try DNSExchange(hostAndPort: "127.0.0.1:9", timeout: .milliseconds(300))
        let clock = ContinuousClock()
        let start = clock.now
        await #expect(throws: (any Error).self) { try await exchange.txtLookup("example.com") }
        #expect(clock.now - start < .seconds(5))
    }

    @Test("nameserver addresses parse, with clear errors", arguments: ["127.0.0.1:53", "[::1]:5353", "localhost"])
    func addresses(text: String) throws {
        _ = try DNSExchange(hostAndPort: text)
    }

    @Test("bad nameserver addresses are rejected", arguments: ["127.0.0.1:", "127.0.0.1:99999", ":53", "[::1"])
    func badAddresses(text: String) {
        #expect(throws: (any Error).self) { try DNSExchange(hostAndPort: text) }
    }
}
