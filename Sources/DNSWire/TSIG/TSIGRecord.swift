/// The rdata of a TSIG record (RFC 8945 §4.2), and the record's place in a message.
public struct TSIGRecord: Sendable, Hashable {
    public var algorithm: String
    /// Seconds since the epoch; 48 bits on the wire.
    public var timeSigned: UInt64
    public var fudge: UInt16
    public var mac: [UInt8]
    public var originalID: UInt16
    public var error: TSIGError
    public var otherData: [UInt8]

    public init(algorithm: String, timeSigned: UInt64, fudge: UInt16, mac: [UInt8], originalID: UInt16, error: TSIGError = .noError, otherData: [UInt8] = []) {
        self.algorithm = DNSName.canonical(algorithm)
        self.timeSigned = timeSigned
        self.fudge = fudge
        self.mac = mac
        self.originalID = originalID
        self.error = error
        self.otherData = otherData
    }

    /// The rdata bytes.
    public func encoded() throws(DNSWireError) -> [UInt8] {
        var writer = Writer()
        try writer.name(algorithm)
        writer.u16(UInt16(truncatingIfNeeded: timeSigned >> 32))
        writer.u32(UInt32(truncatingIfNeeded: timeSigned))
        writer.u16(fudge)
        guard mac.count <= Int(UInt16.max), otherData.count <= Int(UInt16.max) else { throw DNSWireError("TSIG field too long") }
        writer.u16(UInt16(mac.count))
        writer.append(mac)
        writer.u16(originalID)
        writer.u16(error.rawValue)
        writer.u16(UInt16(otherData.count))
        writer.append(otherData)
        return writer.bytes
    }

    /// Decodes the rdata of a TSIG record (its algorithm name is never compressed, RFC 8945 §4.2).
    public static func decode(_ data: [UInt8]) throws(DNSWireError) -> TSIGRecord {
        var reader = Reader(bytes: data)
        let algorithm = try reader.name()
        let high = UInt64(try reader.u16())
        let low = UInt64(try reader.u32())
        let fudge = try reader.u16()
        let mac = try reader.take(Int(try reader.u16()))
        let originalID = try reader.u16()
        let error = TSIGError(rawValue: try reader.u16())
        let otherData = try reader.take(Int(try reader.u16()))
        guard reader.offset == data.count else { throw DNSWireError("TSIG rdata has trailing bytes") }
        return TSIGRecord(algorithm: algorithm, timeSigned: high << 32 | low, fudge: fudge, mac: mac, originalID: originalID, error: error, otherData: otherData)
    }
}

/// The TSIG error field (RFC 8945 §4.2 and the IANA registry).
public struct TSIGError: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    public let rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    // swift-format-ignore: DontRepeatTypeInStaticProperties
    // NOERROR is the RFC's name for it.
    public static let noError = TSIGError(rawValue: 0)
    public static let badSignature = TSIGError(rawValue: 16)
    public static let badKey = TSIGError(rawValue: 17)
    public static let badTime = TSIGError(rawValue: 18)
    public static let badTruncation = TSIGError(rawValue: 22)

    public var description: String {
        switch rawValue {
        case 0: "NOERROR"
        case 16: "BADSIG"
        case 17: "BADKEY"
        case 18: "BADTIME"
        case 22: "BADTRUNC"
        default: "TSIG error \(rawValue)"
        }
    }
}
