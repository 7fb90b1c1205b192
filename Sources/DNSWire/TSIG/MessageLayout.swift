/// Where things sit in an encoded message, for code that must work on the exact bytes
/// received (TSIG covers the bytes, so a decoded-and-re-encoded message would not do).
enum MessageLayout {
    /// The offset of the last record of the additional section, or `nil` if it is empty.
    static func lastAdditionalOffset(in message: [UInt8]) throws(DNSWireError) -> Int? {
        var reader = Reader(bytes: message)
        _ = try reader.take(4)
        let questions = Int(try reader.u16())
        let records = Int(try reader.u16()) + Int(try reader.u16())
        let additionals = Int(try reader.u16())
        guard additionals > 0 else { return nil }
        for _ in 0..<questions {
            _ = try reader.name()
            _ = try reader.take(4)
        }
        for _ in 0..<(records + additionals - 1) { _ = try reader.record() }
        let start = reader.offset
        _ = try reader.record()
        guard reader.offset == message.count else { throw DNSWireError("trailing bytes after the last record") }
        return start
    }
}
