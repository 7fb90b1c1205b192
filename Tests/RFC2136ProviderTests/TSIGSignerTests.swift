import DNSClient
import DNSWire
import Foundation
import TestSupport
import Testing

/// The TSIG signer on its own: the record it appends, and verification of real signed
/// answers from Knot, untouched and tampered with.
@Suite("TSIG signing and verification", .serialized)
struct TSIGSignerTests {
    static let key = TSIGKey(name: "acme-update.", algorithm: .hmacSHA256, secret: Array(Data(base64Encoded: KnotFixture.secret)!))

    @Test("signing appends one TSIG record and leaves the message before it untouched")
    func appendsRecord() throws {
        let message = try DNSMessage.update(id: 0x1234, zone: "example.com", updates: [.txt(name: "a.example.com", ttl: 60, value: "v")]).encoded()
        let signed = try TSIGSigner(key: Self.key, fudge: 300).sign(message, at: 1_700_000_000)
        let decoded = try DNSMessage.decode(signed.bytes)
        #expect(decoded.additionals.count == 1)
        let tsig = try #require(decoded.additionals.first)
        #expect(tsig.name == "acme-update" && tsig.type == .tsig && tsig.recordClass == .any && tsig.ttl == 0)
        let record = try TSIGRecord.decode(tsig.data)
        #expect(record == TSIGRecord(algorithm: "hmac-sha256", timeSigned: 1_700_000_000, fudge: 300, mac: signed.mac, originalID: 0x1234))
        #expect(signed.mac.count == 32)
        #expect(Array(signed.bytes[12..<message.count]) == Array(message[12...]))
        // The same input signs to the same MAC; another time to another.
        #expect(try TSIGSigner(key: Self.key).sign(message, at: 1_700_000_000).mac == signed.mac)
        #expect(try TSIGSigner(key: Self.key).sign(message, at: 1_700_000_001).mac != signed.mac)
    }

    /// A signed SOA query to Knot, and its raw signed answer.
    func signedExchange(_ knot: KnotServer) async throws -> (answer: [UInt8], requestMAC: [UInt8], time: UInt64) {
        let time = UInt64(Date().timeIntervalSince1970)
        let query = try DNSMessage.query(id: 77, name: "example.com", type: .soa, recursionDesired: false).encoded()
        let signed = try TSIGSigner(key: Self.key).sign(query, at: time)
        let answer = try await DNSExchange(hostAndPort: knot.address).exchangeUDP(signed.bytes)
        return (answer, signed.mac, time)
    }

    @Test("Knot's signed answer verifies; a flipped byte, another secret or a skewed clock do not")
    func verifiesKnot() async throws {
        let fixture = try await KnotFixture()
        defer { fixture.stop() }
        let (answer, requestMAC, time) = try await signedExchange(fixture.knot)
        let signer = TSIGSigner(key: Self.key)
        let record = try signer.verify(answer, requestMAC: requestMAC, at: time)

        var tampered = answer
        tampered[3] ^= 0x20  // a header flag (AD), covered by the MAC
        #expect(throws: TSIGVerificationError(.badSignature, "the answer's TSIG MAC does not verify with key acme-update (hmac-sha256)")) {
            try signer.verify(tampered, requestMAC: requestMAC, at: time)
        }
        // The answer's MAC covers the request's MAC: another request's answer does not verify.
        #expect(throws: TSIGVerificationError.self) { try signer.verify(answer, requestMAC: Array(repeating: 0, count: 32), at: time) }
        let otherSecret = TSIGSigner(key: TSIGKey(name: "acme-update", algorithm: .hmacSHA256, secret: Array("another secret".utf8)))
        #expect(throws: TSIGVerificationError.self) { try otherSecret.verify(answer, requestMAC: requestMAC, at: time) }
        // Knot's own signing time decides, not ours: the fudge (300s) either side of it is fine.
        try signer.verify(answer, requestMAC: requestMAC, at: record.timeSigned + UInt64(record.fudge))
        let error = #expect(throws: TSIGVerificationError.self) {
            try signer.verify(answer, requestMAC: requestMAC, at: record.timeSigned + UInt64(record.fudge) + 1)
        }
        #expect(error?.kind == .badTime)
    }

    @Test("an answer without a TSIG record is reported as unsigned")
    func unsignedAnswer() throws {
        var response = DNSMessage(id: 9)
        response.flags.isResponse = true
        let bytes = try response.encoded()
        let error = #expect(throws: TSIGVerificationError.self) { try TSIGSigner(key: Self.key).verify(bytes, requestMAC: [1], at: 0) }
        #expect(error?.kind == .unsigned)
    }
}
