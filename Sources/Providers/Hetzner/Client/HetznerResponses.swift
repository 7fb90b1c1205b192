/// The parts of Hetzner Cloud API answers this provider reads (unknown fields are ignored).

struct HetznerPagination: Decodable, Sendable {
    var page: Int?
    var nextPage: Int?
    var lastPage: Int?
    enum CodingKeys: String, CodingKey {
        case page
        case nextPage = "next_page"
        case lastPage = "last_page"
    }
}

struct HetznerMeta: Decodable, Sendable {
    var pagination: HetznerPagination?
}

struct HetznerZonesResponse: Decodable, Sendable {
    struct Zone: Decodable, Sendable {
        var id: Int64
        var name: String
    }
    var zones: [Zone]
    var meta: HetznerMeta?
}

struct HetznerRRSetResponse: Decodable, Sendable {
    struct RRSet: Decodable, Sendable {
        struct Record: Decodable, Sendable {
            var value: String
        }
        var records: [Record]
    }
    var rrset: RRSet
}

struct HetznerAction: Decodable, Sendable {
    struct Failure: Decodable, Sendable {
        var code: String?
        var message: String?
    }
    var id: Int64
    var command: String?
    var status: String
    var error: Failure?
}

struct HetznerActionResponse: Decodable, Sendable {
    var action: HetznerAction
}

struct HetznerActionsResponse: Decodable, Sendable {
    var actions: [HetznerAction]
}
