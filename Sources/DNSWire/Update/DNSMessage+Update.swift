/// Dynamic updates (RFC 2136). An UPDATE reuses the message sections: the question section is
/// the zone section, the answer section holds prerequisites, the authority section the updates.
extension DNSMessage {
    /// The UPDATE opcode.
    public static let updateOpcode: UInt8 = 5

    /// An UPDATE of `zone` (class IN) applying `updates` in order, with no prerequisites.
    public static func update(id: UInt16, zone: String, updates: [ResourceRecord]) -> DNSMessage {
        var flags = Flags()
        flags.opcode = updateOpcode
        return DNSMessage(id: id, flags: flags, questions: [Question(name: zone, type: .soa)], authorities: updates)
    }
}

extension ResourceRecord {
    /// The update-section record that deletes exactly this RR from its RRset (RFC 2136 §2.5.4:
    /// class NONE, TTL 0, same type and rdata) and leaves the other RRs of the set alone.
    public var deletion: ResourceRecord {
        ResourceRecord(name: name, type: type, recordClass: .none, ttl: 0, data: data)
    }
}

extension ResponseCode {
    /// RFC 2136 §2.2: a prerequisite name exists / RRset exists / RRset does not exist.
    public static let yxDomain = ResponseCode(rawValue: 6)
    public static let yxRRSet = ResponseCode(rawValue: 7)
    public static let nxRRSet = ResponseCode(rawValue: 8)
}
