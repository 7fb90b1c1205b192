/// A DNS message (RFC 1035 §4), enough of it for queries, answers and dynamic updates.
/// Pure value code: no I/O, so it is tested byte for byte.
public struct DNSMessage: Sendable, Hashable {
    public var id: UInt16
    public var flags: Flags
    /// The question section (the zone section in an UPDATE).
    public var questions: [Question]
    /// The answer section (the prerequisite section in an UPDATE).
    public var answers: [ResourceRecord]
    /// The authority section (the update section in an UPDATE).
    public var authorities: [ResourceRecord]
    public var additionals: [ResourceRecord]

    public init(
        id: UInt16,
        flags: Flags = Flags(),
        questions: [Question] = [],
        answers: [ResourceRecord] = [],
        authorities: [ResourceRecord] = [],
        additionals: [ResourceRecord] = []
    ) {
        self.id = id
        self.flags = flags
        self.questions = questions
        self.answers = answers
        self.authorities = authorities
        self.additionals = additionals
    }

    /// A recursive-or-not query for one name and type.
    public static func query(id: UInt16, name: String, type: RecordType, recursionDesired: Bool = true) -> DNSMessage {
        var flags = Flags()
        flags.recursionDesired = recursionDesired
        return DNSMessage(id: id, flags: flags, questions: [Question(name: name, type: type)])
    }

    public struct Flags: Sendable, Hashable {
        public var isResponse = false
        public var opcode: UInt8 = 0
        public var authoritative = false
        public var truncated = false
        public var recursionDesired = false
        public var recursionAvailable = false
        public var responseCode: ResponseCode = .noError

        public init() {}

        var rawValue: UInt16 {
            var raw: UInt16 = 0
            if isResponse { raw |= 0x8000 }
            raw |= UInt16(opcode & 0xF) << 11
            if authoritative { raw |= 0x0400 }
            if truncated { raw |= 0x0200 }
            if recursionDesired { raw |= 0x0100 }
            if recursionAvailable { raw |= 0x0080 }
            raw |= UInt16(responseCode.rawValue & 0xF)
            return raw
        }

        init(rawValue raw: UInt16) {
            isResponse = raw & 0x8000 != 0
            opcode = UInt8((raw >> 11) & 0xF)
            authoritative = raw & 0x0400 != 0
            truncated = raw & 0x0200 != 0
            recursionDesired = raw & 0x0100 != 0
            recursionAvailable = raw & 0x0080 != 0
            responseCode = ResponseCode(rawValue: UInt16(raw & 0xF))
        }
    }

    public struct Question: Sendable, Hashable {
        /// Lower-case name without the trailing dot ("" for the root).
        public var name: String
        public var type: RecordType
        public var recordClass: RecordClass

        public init(name: String, type: RecordType, recordClass: RecordClass = .internet) {
            self.name = DNSName.canonical(name)
            self.type = type
            self.recordClass = recordClass
        }
    }
}

public struct RecordType: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    public let rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    public static let a = RecordType(rawValue: 1)
    public static let ns = RecordType(rawValue: 2)
    public static let cname = RecordType(rawValue: 5)
    public static let soa = RecordType(rawValue: 6)
    public static let txt = RecordType(rawValue: 16)
    public static let aaaa = RecordType(rawValue: 28)
    public static let opt = RecordType(rawValue: 41)
    public static let tsig = RecordType(rawValue: 250)
    public static let any = RecordType(rawValue: 255)

    public var description: String {
        switch self {
        case .a: "A"
        case .ns: "NS"
        case .cname: "CNAME"
        case .soa: "SOA"
        case .txt: "TXT"
        case .aaaa: "AAAA"
        case .opt: "OPT"
        case .tsig: "TSIG"
        case .any: "ANY"
        default: "TYPE\(rawValue)"
        }
    }
}

public struct RecordClass: RawRepresentable, Sendable, Hashable {
    public let rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    public static let internet = RecordClass(rawValue: 1)
    /// Class NONE (RFC 2136: delete one RR from an RRset).
    public static let none = RecordClass(rawValue: 254)
    /// Class ANY (RFC 2136: delete an RRset; TSIG).
    public static let any = RecordClass(rawValue: 255)
}

public struct ResponseCode: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    public let rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    public static let noError = ResponseCode(rawValue: 0)
    public static let formatError = ResponseCode(rawValue: 1)
    public static let serverFailure = ResponseCode(rawValue: 2)
    public static let nameError = ResponseCode(rawValue: 3)
    public static let notImplemented = ResponseCode(rawValue: 4)
    public static let refused = ResponseCode(rawValue: 5)
    public static let notAuthoritative = ResponseCode(rawValue: 9)
    public static let notZone = ResponseCode(rawValue: 10)

    public var description: String {
        switch rawValue {
        case 0: "NOERROR"
        case 1: "FORMERR"
        case 2: "SERVFAIL"
        case 3: "NXDOMAIN"
        case 4: "NOTIMP"
        case 5: "REFUSED"
        case 6: "YXDOMAIN"
        case 7: "YXRRSET"
        case 8: "NXRRSET"
        case 9: "NOTAUTH"
        case 10: "NOTZONE"
        default: "RCODE\(rawValue)"
        }
    }
}

/// One resource record with its rdata kept as bytes.
public struct ResourceRecord: Sendable, Hashable {
    public var name: String
    public var type: RecordType
    public var recordClass: RecordClass
    public var ttl: UInt32
    public var data: [UInt8]

    public init(name: String, type: RecordType, recordClass: RecordClass = .internet, ttl: UInt32, data: [UInt8]) {
        self.name = DNSName.canonical(name)
        self.type = type
        self.recordClass = recordClass
        self.ttl = ttl
        self.data = data
    }

    /// A TXT record holding `value`, split into ≤255-byte character-strings.
    public static func txt(name: String, ttl: UInt32, value: String, recordClass: RecordClass = .internet) -> ResourceRecord {
        ResourceRecord(name: name, type: .txt, recordClass: recordClass, ttl: ttl, data: TXTData.encode(value))
    }

    /// The character-strings of a TXT record, or `nil` if the rdata is malformed.
    public var txtStrings: [[UInt8]]? { type == .txt ? TXTData.decode(data) : nil }

    /// The TXT value as cert-manager compares it: the character-strings concatenated.
    public var txtValue: String? { txtStrings.map { String(decoding: $0.joined(), as: UTF8.self) } }
}

enum TXTData {
    static func encode(_ value: String) -> [UInt8] {
        let bytes = Array(value.utf8)
        if bytes.isEmpty { return [0] }
        var data: [UInt8] = []
        var index = 0
        while index < bytes.count {
            let chunk = bytes[index..<min(index + 255, bytes.count)]
            data.append(UInt8(chunk.count))
            data.append(contentsOf: chunk)
            index += chunk.count
        }
        return data
    }

    static func decode(_ data: [UInt8]) -> [[UInt8]]? {
        var strings: [[UInt8]] = []
        var index = 0
        while index < data.count {
            let length = Int(data[index])
            guard index + 1 + length <= data.count else { return nil }
            strings.append(Array(data[(index + 1)..<(index + 1 + length)]))
            index += 1 + length
        }
        return strings
    }
}

/// Name helpers shared by the codec.
public enum DNSName {
    /// Lower-case, no trailing dot.
    public static func canonical(_ name: String) -> String {
        var text = name.lowercased()
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }
}
