import NIOHTTP1

/// What a request addresses, worked out from method and path the way the Kubernetes API
/// server's RequestInfo does: it decides both the handler and the attributes that are
/// authorized (a resource request under `/apis/<g>/<v>/<resource>`, a non-resource path
/// otherwise).
enum Endpoint: Sendable, Equatable {
    enum HealthCheck: String, Sendable {
        case healthz, livez, readyz

        init?(segment: Substring) {
            switch segment {
            case "healthz": self = .healthz
            case "livez": self = .livez
            case "readyz": self = .readyz
            default: return nil
            }
        }
    }

    /// `/healthz`, `/livez`, `/readyz` and their `/<check>` sub-paths: never authenticated.
    case health(HealthCheck, check: String?)
    case version
    case metrics
    /// `/apis`
    case groupList
    /// `/apis/<group>` for a served group (its index in `ServedAPIs.groups`).
    case group(Int)
    /// `/apis/<group>/<version>` for a served group and version (its index in
    /// `ServedAPIs.groupVersions`).
    case resourceList(Int)
    /// `/apis/<group>/<version>/<name>` under a served group and version; `name` may not be
    /// served (404 after authorization).
    case resource(Int, name: String)
    /// Anything else: 404 after authorization (or 405 for a wrong method on a known path).
    case unknown

    /// The endpoint and its authorization attributes for `method` and `path` (query removed).
    static func classify(method: HTTPMethod, path: String, apis: ServedAPIs) -> (Endpoint, AuthorizationAttributes) {
        (endpoint(method: method, path: path, apis: apis), AuthorizationAttributes(method: method, path: path))
    }

    /// What `path` addresses. Cheap on purpose: it runs for every request (so it compares
    /// bytes and allocates nothing but a resource name), and the authorization attributes are
    /// only worked out when an authorizer needs them.
    static func endpoint(method: HTTPMethod, path: String, apis: ServedAPIs) -> Endpoint {
        let segments = PathSegments(path)
        if segments.count <= 2, let first = segments.first, let check = HealthCheck(segment: first) {
            return .health(check, check: segments.count == 2 ? String(segments[1]) : nil)
        }
        guard let first = segments.first else { return .unknown }
        if segments.count == 1 {
            switch first {
            case "version": return .version
            case "metrics": return .metrics
            case "apis": return .groupList
            default: return .unknown
            }
        }
        guard first == "apis" else { return .unknown }
        switch segments.count {
        case 2:
            return apis.groupIndex(segments[1]).map { .group($0) } ?? .unknown
        case 3:
            return apis.groupVersionIndex(group: segments[1], version: segments[2]).map { .resourceList($0) } ?? .unknown
        case 4:
            return apis.groupVersionIndex(group: segments[1], version: segments[2]).map { .resource($0, name: String(segments[3])) } ?? .unknown
        default:
            return .unknown
        }
    }
}

/// What is being authorized: a resource verb (`create` on `<resource>` in `<group>`) or a
/// non-resource path (`get` on `/apis`).
enum AuthorizationAttributes: Sendable, Hashable {
    case resource(verb: String, group: String, version: String, resource: String, name: String?, subresource: String?)
    case nonResource(path: String, verb: String)
}

extension AuthorizationAttributes {
    /// The attributes of a request, the way the Kubernetes API server's RequestInfo works them
    /// out: `/apis/<group>/<version>/<resource>[/<name>[/<subresource>]]` is a resource
    /// request; anything else is a non-resource path.
    init(method: HTTPMethod, path: String) {
        let segments = path.utf8.split(separator: UInt8(ascii: "/")).map { Substring($0) }
        guard segments.count >= 4, segments[0] == "apis" else {
            self = .nonResource(path: path.isEmpty ? "/" : path, verb: method.rawValue.lowercased())
            return
        }
        self = .resource(
            verb: Self.resourceVerb(method: method, hasName: segments.count >= 5),
            group: String(segments[1]),
            version: String(segments[2]),
            resource: String(segments[3]),
            name: segments.count >= 5 ? String(segments[4]) : nil,
            subresource: segments.count >= 6 ? String(segments[5]) : nil
        )
    }

    /// The Kubernetes verb of a resource request.
    static func resourceVerb(method: HTTPMethod, hasName: Bool) -> String {
        switch method {
        case .GET, .HEAD: hasName ? "get" : "list"
        case .POST: "create"
        case .PUT: "update"
        case .PATCH: "patch"
        case .DELETE: hasName ? "delete" : "deletecollection"
        default: method.rawValue.lowercased()
        }
    }
}

/// The non-empty `/`-separated segments of a path: how many there are, and the first four.
/// Found by scanning the bytes once; splitting the `String` walked grapheme clusters and
/// allocated an array of substrings on every request.
struct PathSegments {
    private let path: Substring
    private var ranges: (Range<String.Index>?, Range<String.Index>?, Range<String.Index>?, Range<String.Index>?) = (nil, nil, nil, nil)
    private(set) var count = 0

    init(_ path: String) {
        self.path = Substring(path)
        let utf8 = path.utf8
        var index = utf8.startIndex
        while index < utf8.endIndex {
            guard utf8[index] != UInt8(ascii: "/") else {
                utf8.formIndex(after: &index)
                continue
            }
            let start = index
            while index < utf8.endIndex, utf8[index] != UInt8(ascii: "/") { utf8.formIndex(after: &index) }
            switch count {
            case 0: ranges.0 = start..<index
            case 1: ranges.1 = start..<index
            case 2: ranges.2 = start..<index
            case 3: ranges.3 = start..<index
            default: break
            }
            count += 1
        }
    }

    var first: Substring? { count > 0 ? self[0] : nil }

    /// Segment `position`, which must be below `min(count, 4)`.
    subscript(position: Int) -> Substring {
        let range: Range<String.Index>?
        switch position {
        case 0: range = ranges.0
        case 1: range = ranges.1
        case 2: range = ranges.2
        default: range = ranges.3
        }
        return path[range!]
    }
}
