/// Signs DNS messages with a TSIG key and verifies the signed answers (RFC 8945 §4.3, §5).
///
/// A pure value: the time is passed in, so tests can sign and verify at a fixed instant.
public struct TSIGSigner: Sendable {
    public let key: TSIGKey
    /// Allowed clock difference, in seconds (RFC 8945 recommends 300).
    public let fudge: UInt16

    public init(key: TSIGKey, fudge: UInt16 = 300) {
        self.key = key
        self.fudge = fudge
    }

    /// A request with its TSIG record appended, and the MAC its answer's MAC covers.
    public struct SignedRequest: Sendable, Hashable {
        public let bytes: [UInt8]
        public let mac: [UInt8]
    }

    /// Appends a TSIG record to `message` (encoded, not yet signed), signed at `time`
    /// (seconds since the epoch).
    public func sign(_ message: [UInt8], at time: UInt64) throws(DNSWireError) -> SignedRequest {
        guard message.count >= 12 else { throw DNSWireError("message shorter than a DNS header") }
        let originalID = UInt16(message[0]) << 8 | UInt16(message[1])
        var unsigned = TSIGRecord(algorithm: key.algorithm.wireName, timeSigned: time, fudge: fudge, mac: [], originalID: originalID)
        var digest = message
        digest += try variables(of: unsigned)
        unsigned.mac = key.algorithm.mac(digest, secret: key.secret)
        let signed = try Self.appending(unsigned, named: key.name, to: message)
        return SignedRequest(bytes: signed, mac: unsigned.mac)
    }

    /// Checks that `response` answers the request whose MAC was `requestMAC`, is signed by this
    /// key, and was signed within `fudge` of `now`. Returns the response's TSIG record.
    @discardableResult
    public func verify(_ response: [UInt8], requestMAC: [UInt8], at now: UInt64) throws(TSIGVerificationError) -> TSIGRecord {
        let (unsignedPart, ownerName, record) = try Self.split(response)
        guard ownerName == key.name, record.algorithm == key.algorithm.wireName else {
            throw .init(.wrongKey, "the answer is signed with key \(ownerName) (\(record.algorithm)), not \(key)")
        }
        if record.error != .noError && record.mac.isEmpty {
            // RFC 8945 §5.3.2: the server could not verify our request and says why, unsigned.
            throw .init(.rejectedByServer(record.error), "the server refused the TSIG signature with key \(key): \(record.error)")
        }
        var digest = Self.u16(UInt16(requestMAC.count)) + requestMAC
        digest += unsignedPart
        do {
            digest += try variables(of: record)
        } catch {
            throw .init(.malformed, "cannot encode the answer's TSIG variables: \(error)")
        }
        let expected = key.algorithm.mac(digest, secret: key.secret)
        guard constantTimeEqual(expected, record.mac) else {
            throw .init(.badSignature, "the answer's TSIG MAC does not verify with key \(key)")
        }
        let skew = now > record.timeSigned ? now - record.timeSigned : record.timeSigned - now
        guard skew <= UInt64(record.fudge) else {
            throw .init(.badTime, "the answer was signed \(skew)s away from our clock (fudge \(record.fudge)s)")
        }
        if record.error != .noError {
            throw .init(.rejectedByServer(record.error), "the server answered with TSIG error \(record.error) for key \(key)")
        }
        return record
    }

    /// The TSIG variables (RFC 8945 §4.3.3): key name, class ANY, TTL 0, then the rdata fields
    /// other than MAC and original ID.
    private func variables(of record: TSIGRecord) throws(DNSWireError) -> [UInt8] {
        var writer = Writer()
        try writer.name(key.name)
        writer.u16(RecordClass.any.rawValue)
        writer.u32(0)
        try writer.name(record.algorithm)
        writer.u16(UInt16(truncatingIfNeeded: record.timeSigned >> 32))
        writer.u32(UInt32(truncatingIfNeeded: record.timeSigned))
        writer.u16(record.fudge)
        writer.u16(record.error.rawValue)
        writer.u16(UInt16(record.otherData.count))
        writer.append(record.otherData)
        return writer.bytes
    }

    static func appending(_ record: TSIGRecord, named name: String, to message: [UInt8]) throws(DNSWireError) -> [UInt8] {
        var bytes = message
        let additionals = UInt16(message[10]) << 8 | UInt16(message[11])
        guard additionals < UInt16.max else { throw DNSWireError("too many additional records") }
        bytes.replaceSubrange(10..<12, with: u16(additionals + 1))
        var writer = Writer()
        try writer.record(ResourceRecord(name: name, type: .tsig, recordClass: .any, ttl: 0, data: try record.encoded()))
        return bytes + writer.bytes
    }

    /// The message as it was before its last (TSIG) record was added: that record removed,
    /// ARCOUNT one less and the ID put back to the original ID. Also the record's owner name.
    static func split(_ message: [UInt8]) throws(TSIGVerificationError) -> (unsigned: [UInt8], ownerName: String, record: TSIGRecord) {
        do {
            guard let start = try MessageLayout.lastAdditionalOffset(in: message) else {
                throw TSIGVerificationError(.unsigned, "the answer carries no TSIG record")
            }
            var reader = Reader(bytes: message, offset: start)
            let tsig = try reader.record()
            guard tsig.type == .tsig else { throw TSIGVerificationError(.unsigned, "the answer carries no TSIG record") }
            let record = try TSIGRecord.decode(tsig.data)
            var unsigned = Array(message[..<start])
            let additionals = UInt16(message[10]) << 8 | UInt16(message[11])
            unsigned.replaceSubrange(10..<12, with: u16(additionals - 1))
            unsigned.replaceSubrange(0..<2, with: u16(record.originalID))
            return (unsigned, tsig.name, record)
        } catch let error as TSIGVerificationError {
            throw error
        } catch {
            throw TSIGVerificationError(.malformed, "malformed answer: \(error)")
        }
    }

    private static func u16(_ value: UInt16) -> [UInt8] { [UInt8(value >> 8), UInt8(value & 0xFF)] }
}

/// Compares MACs without an early exit, so timing does not tell how much of a guess was right.
func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
    guard a.count == b.count else { return false }
    var difference: UInt8 = 0
    for index in a.indices { difference |= a[index] ^ b[index] }
    return difference == 0
}

/// Why a signed answer was not accepted.
public struct TSIGVerificationError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        /// The answer has no TSIG record (a server that ignores TSIG, or a forged answer).
        case unsigned
        /// The server could not verify our request: BADKEY, BADSIG, BADTIME…
        case rejectedByServer(TSIGError)
        /// Signed with another key or algorithm.
        case wrongKey
        /// The MAC does not verify.
        case badSignature
        /// Signed too far from our clock.
        case badTime
        case malformed
    }

    public let kind: Kind
    public let message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }
}
