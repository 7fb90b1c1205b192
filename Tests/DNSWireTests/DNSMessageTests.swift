import DNSWire
import Testing

@Suite("DNS wire format")
struct DNSMessageTests {
    @Test("a TXT query encodes byte for byte as RFC 1035 lays it out")
    func queryBytes() throws {
        let query = DNSMessage.query(id: 0xBEEF, name: "Ex.com.", type: .txt, recursionDesired: true)
        #expect(
            try query.encoded() == [
                0xBE, 0xEF, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0,
                2, UInt8(ascii: "e"), UInt8(ascii: "x"), 3, UInt8(ascii: "c"), UInt8(ascii: "o"), UInt8(ascii: "m"), 0,
                0, 16, 0, 1,
            ])
    }

    @Test("messages round-trip, with long TXT values split into character-strings")
    func roundTrip() throws {
        let long = String(repeating: "v", count: 300)
        var message = DNSMessage(id: 7)
        message.flags.isResponse = true
        message.flags.authoritative = true
        message.flags.responseCode = .nameError
        message.questions = [.init(name: "_acme-challenge.example.com", type: .txt)]
        message.answers = [.txt(name: "_acme-challenge.example.com", ttl: 60, value: long)]
        let decoded = try DNSMessage.decode(try message.encoded())
        #expect(decoded == message)
        #expect(decoded.answers[0].txtStrings?.map(\.count) == [255, 45])
        #expect(decoded.answers[0].txtValue == long)
        #expect(decoded.flags.responseCode == .nameError)
    }

    @Test("compressed names are followed; pointer loops and truncation are errors, not crashes")
    func compression() throws {
        // Header with one answer whose name is a pointer to offset 12, where "a.b" sits.
        var bytes: [UInt8] = [0, 1, 0x84, 0, 0, 1, 0, 1, 0, 0, 0, 0]
        bytes += [1, UInt8(ascii: "a"), 1, UInt8(ascii: "b"), 0, 0, 16, 0, 1]
        bytes += [0xC0, 12, 0, 16, 0, 1, 0, 0, 0, 60, 0, 4, 3, UInt8(ascii: "x"), UInt8(ascii: "y"), UInt8(ascii: "z")]
        let message = try DNSMessage.decode(bytes)
        #expect(message.answers.first?.name == "a.b")
        #expect(message.answers.first?.txtValue == "xyz")

        var loop: [UInt8] = [0, 1, 0x84, 0, 0, 1, 0, 0, 0, 0, 0, 0]
        loop += [0xC0, 12, 0, 16, 0, 1]
        #expect(throws: DNSWireError.self) { try DNSMessage.decode(loop) }
        #expect(throws: DNSWireError.self) { try DNSMessage.decode(Array(bytes.prefix(20))) }
        #expect(throws: DNSWireError.self) { try DNSMessage.decode([0, 1]) }
    }

    @Test("random bytes never crash the decoder")
    func fuzz() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<5_000 {
            let length = Int.random(in: 0..<80, using: &generator)
            let bytes = (0..<length).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
            _ = try? DNSMessage.decode(bytes)
        }
    }
}
