/// Errors from decoding a DNS message received from the network.
public struct DNSWireError: Error, Sendable, Hashable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

extension DNSMessage {
    /// The message in wire format. Names are written uncompressed (valid, and what TSIG signs).
    public func encoded() throws(DNSWireError) -> [UInt8] {
        var writer = Writer()
        writer.u16(id)
        writer.u16(flags.rawValue)
        for count in [questions.count, answers.count, authorities.count, additionals.count] {
            guard count <= Int(UInt16.max) else { throw DNSWireError("too many records in one section") }
            writer.u16(UInt16(count))
        }
        for question in questions {
            try writer.name(question.name)
            writer.u16(question.type.rawValue)
            writer.u16(question.recordClass.rawValue)
        }
        for record in answers + authorities + additionals {
            try writer.record(record)
        }
        return writer.bytes
    }

    /// Decodes a message, following name compression pointers (with loop protection).
    public static func decode(_ bytes: [UInt8]) throws(DNSWireError) -> DNSMessage {
        var reader = Reader(bytes: bytes)
        let id = try reader.u16()
        let flags = Flags(rawValue: try reader.u16())
        let counts = [try reader.u16(), try reader.u16(), try reader.u16(), try reader.u16()]
        var message = DNSMessage(id: id, flags: flags)
        for _ in 0..<counts[0] {
            let name = try reader.name()
            message.questions.append(Question(name: name, type: RecordType(rawValue: try reader.u16()), recordClass: RecordClass(rawValue: try reader.u16())))
        }
        for _ in 0..<counts[1] { message.answers.append(try reader.record()) }
        for _ in 0..<counts[2] { message.authorities.append(try reader.record()) }
        for _ in 0..<counts[3] { message.additionals.append(try reader.record()) }
        return message
    }
}

/// Appends big-endian fields and names.
public struct Writer: Sendable {
    public private(set) var bytes: [UInt8] = []
    public init() {}

    public mutating func u8(_ value: UInt8) { bytes.append(value) }
    public mutating func u16(_ value: UInt16) {
        bytes.append(UInt8(value >> 8))
        bytes.append(UInt8(value & 0xFF))
    }
    public mutating func u32(_ value: UInt32) {
        u16(UInt16(value >> 16))
        u16(UInt16(value & 0xFFFF))
    }
    public mutating func append(_ data: [UInt8]) { bytes.append(contentsOf: data) }

    /// Writes `name` as length-prefixed labels (uncompressed, lower-case as given).
    public mutating func name(_ name: String) throws(DNSWireError) {
        let canonical = DNSName.canonical(name)
        var total = 1
        if !canonical.isEmpty {
            for label in canonical.split(separator: ".", omittingEmptySubsequences: false) {
                let utf8 = Array(label.utf8)
                guard !utf8.isEmpty, utf8.count <= 63 else { throw DNSWireError("invalid label in \"\(name)\"") }
                total += utf8.count + 1
                u8(UInt8(utf8.count))
                append(utf8)
            }
        }
        guard total <= 255 else { throw DNSWireError("name \"\(name)\" is longer than 255 octets") }
        u8(0)
    }

    public mutating func record(_ record: ResourceRecord) throws(DNSWireError) {
        try name(record.name)
        u16(record.type.rawValue)
        u16(record.recordClass.rawValue)
        u32(record.ttl)
        guard record.data.count <= Int(UInt16.max) else { throw DNSWireError("rdata too long") }
        u16(UInt16(record.data.count))
        append(record.data)
    }
}

struct Reader {
    let bytes: [UInt8]
    var offset = 0

    mutating func u8() throws(DNSWireError) -> UInt8 {
        guard offset < bytes.count else { throw DNSWireError("message truncated at byte \(offset)") }
        defer { offset += 1 }
        return bytes[offset]
    }

    mutating func u16() throws(DNSWireError) -> UInt16 {
        UInt16(try u8()) << 8 | UInt16(try u8())
    }

    mutating func u32() throws(DNSWireError) -> UInt32 {
        UInt32(try u16()) << 16 | UInt32(try u16())
    }

    mutating func take(_ count: Int) throws(DNSWireError) -> [UInt8] {
        guard count >= 0, offset + count <= bytes.count else { throw DNSWireError("message truncated at byte \(offset)") }
        defer { offset += count }
        return Array(bytes[offset..<(offset + count)])
    }

    mutating func name() throws(DNSWireError) -> String {
        var labels: [String] = []
        var position = offset
        var jumped = false
        var jumps = 0
        while true {
            guard position < bytes.count else { throw DNSWireError("name runs past the end of the message") }
            let length = Int(bytes[position])
            if length == 0 {
                if !jumped { offset = position + 1 }
                break
            }
            switch length & 0xC0 {
            case 0xC0:
                guard position + 1 < bytes.count else { throw DNSWireError("truncated compression pointer") }
                let target = (length & 0x3F) << 8 | Int(bytes[position + 1])
                jumps += 1
                guard jumps <= 64, target < bytes.count else { throw DNSWireError("compression pointer loop or out of range") }
                if !jumped { offset = position + 2 }
                jumped = true
                position = target
            case 0x00:
                guard position + 1 + length <= bytes.count else { throw DNSWireError("label runs past the end of the message") }
                labels.append(String(decoding: bytes[(position + 1)...(position + length)], as: UTF8.self).lowercased())
                position += 1 + length
            default:
                throw DNSWireError("unsupported label type")
            }
        }
        return labels.joined(separator: ".")
    }

    mutating func record() throws(DNSWireError) -> ResourceRecord {
        let name = try name()
        let type = RecordType(rawValue: try u16())
        let recordClass = RecordClass(rawValue: try u16())
        let ttl = try u32()
        let length = Int(try u16())
        return ResourceRecord(name: name, type: type, recordClass: recordClass, ttl: ttl, data: try take(length))
    }
}
