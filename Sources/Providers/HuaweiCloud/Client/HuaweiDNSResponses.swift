/// The parts of Huawei Cloud DNS v2 answers this provider reads. Unknown fields are ignored.

struct ListZonesResponse: Decodable, Sendable {
    struct Zone: Decodable, Sendable {
        var id: String
        /// With a trailing dot.
        var name: String
    }
    struct Metadata: Decodable, Sendable {
        var totalCount: Int?
        enum CodingKeys: String, CodingKey { case totalCount = "total_count" }
    }
    var zones: [Zone]?
    var metadata: Metadata?
}

struct RecordSet: Decodable, Sendable, Hashable {
    var id: String
    /// Absolute, with a trailing dot.
    var name: String
    var type: String
    var ttl: Int?
    /// TXT values as the API stores them: quoted character-strings (`"value"`).
    var records: [String]?
    /// `ACTIVE`, `PENDING_CREATE`, `PENDING_UPDATE`, `PENDING_DELETE`, `ERROR`…
    var status: String?
}

struct ListRecordSetsResponse: Decodable, Sendable {
    struct Metadata: Decodable, Sendable {
        var totalCount: Int?
        enum CodingKeys: String, CodingKey { case totalCount = "total_count" }
    }
    var recordsets: [RecordSet]?
    var metadata: Metadata?
}
