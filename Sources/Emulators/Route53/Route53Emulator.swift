import DNS01
import ProviderKit
import Route53Provider
import Synchronization

/// A model of the real Route53 API, as an `HTTPTransport`: it answers the way Route53 does per
/// the API reference (providers.md A.2), where moto does not:
/// - ListHostedZonesByName starts at `dnsname` in reversed-label order and pages (≤ 100);
/// - ListResourceRecordSets starts at name/type/identifier and pages;
/// - ChangeResourceRecordSets is atomic, refuses a DELETE that does not match exactly
///   ("… but it was not found" / "… do not match"), a CREATE of an existing set, two changes of
///   one set, a name outside the zone, a simple/multivalue mix, and batches over 1,000
///   records or 32,000 value characters (UPSERT counting twice), answering in either error
///   shape (`InvalidChangeBatch/Messages` or `ErrorResponse/Error`);
/// - `PriorRequestNotComplete` while the zone is still applying the previous change;
/// - `Throttling: Rate exceeded` above the account's request rate (5/s by default);
/// - changes are PENDING until `syncDelay` has passed, then INSYNC.
public final class Route53Emulator: HTTPTransport, Sendable {
    public enum ErrorShape: Sendable { case invalidChangeBatchMessages, errorResponse }

    public struct Options: Sendable {
        /// Requests per second over all operations (Route53: 5 per account); `nil` for no limit.
        public var requestsPerSecond: Double? = 5
        public var burst: Double = 5
        /// How long a zone keeps answering PriorRequestNotComplete after accepting a change.
        public var zoneBusyAfterChange: Duration = .zero
        /// How long a change stays PENDING.
        public var syncDelay: Duration = .zero
        /// Simulated service time per request.
        public var latency: Duration = .zero
        public var errorShape: ErrorShape = .invalidChangeBatchMessages
        public var maximumPageSize = 100
        /// Access key ID → secret. When set, every request's SigV4 signature is recomputed with
        /// the key's secret and refused as Route53 does (`InvalidClientTokenId` for an unknown
        /// key, `SignatureDoesNotMatch` for a wrong signature); `nil` accepts any signature.
        public var credentials: [String: String]?
        public init() {}
    }

    public struct RecordSet: Sendable, Hashable {
        public var name: String
        public var type: String
        public var setIdentifier: String?
        public var multiValue: Bool
        public var ttl: Int
        public var values: [String]
        public init(name: String, type: String = "TXT", setIdentifier: String? = nil, multiValue: Bool = false, ttl: Int = 300, values: [String]) {
            self.name = name
            self.type = type
            self.setIdentifier = setIdentifier
            self.multiValue = multiValue
            self.ttl = ttl
            self.values = values
        }
        var key: String { "\(name)|\(type)|\(setIdentifier ?? "")" }
    }

    struct Zone {
        var id: String
        var name: String
        var isPrivate: Bool
        var sets: [String: RecordSet] = [:]
        var busyUntil: ContinuousClock.Instant?
    }

    struct State {
        var zones: [String: Zone] = [:]
        var changes: [String: ContinuousClock.Instant] = [:]
        var nextChange = 1
        var tokens: Double
        var refilled: ContinuousClock.Instant
        var calls: [String: Int] = [:]
        var throttled = 0
        var batchSizes: [Int] = []
        var scripted: [String: [APIResponse]] = [:]
        /// Faults for the next requests of any operation, in order.
        var faults: [APIResponse] = []
        var requests: [APIRequest] = []
    }

    public let options: Options
    private let state: Mutex<State>

    public init(options: Options = Options()) {
        self.options = options
        state = Mutex(State(tokens: options.burst, refilled: .now))
    }

    // MARK: Setup and inspection

    @discardableResult
    public func addZone(_ name: String, id: String? = nil, isPrivate: Bool = false) -> String {
        state.withLock { state in
            let zoneID = id ?? "Z\(String(state.zones.count + 1, radix: 36).uppercased())EMU"
            let fqdn = name.hasSuffix(".") ? name.lowercased() : name.lowercased() + "."
            state.zones[zoneID] = Zone(id: zoneID, name: fqdn, isPrivate: isPrivate)
            return zoneID
        }
    }

    public func put(_ set: RecordSet, inZone zoneID: String) {
        state.withLock { $0.zones[zoneID]?.sets[set.key] = set }
    }

    public func recordSets(inZone zoneID: String) -> [RecordSet] {
        state.withLock { state in state.zones[zoneID].map { Array($0.sets.values) } ?? [] }.sorted { $0.key < $1.key }
    }

    /// The TXT values at `name` (quoted, as stored) over every set.
    public func txtValues(at name: String, inZone zoneID: String) -> [String] {
        recordSets(inZone: zoneID).filter { $0.name == name && $0.type == "TXT" }.flatMap(\.values).sorted()
    }

    /// Requests answered per operation (`ChangeResourceRecordSets`, …), throttled ones included.
    public func calls(_ operation: String) -> Int { state.withLock { $0.calls[operation, default: 0] } }
    public var throttledCount: Int { state.withLock { $0.throttled } }
    /// The number of changes in each accepted ChangeResourceRecordSets.
    public var acceptedBatchSizes: [Int] { state.withLock { $0.batchSizes } }
    public var requests: [APIRequest] { state.withLock { $0.requests } }
    /// Accepted changes that are still PENDING.
    public var pendingChangeCount: Int { state.withLock { state in state.changes.values.filter { $0 > .now }.count } }

    /// Answers the next `count` requests, whatever their operation, alternately with Route53's
    /// throttling error and a 503.
    public func failNext(_ count: Int) {
        state.withLock { state in
            for index in 0..<count {
                state.faults.append(
                    index % 2 == 0
                        ? Self.errorResponse(code: "Throttling", message: "Rate exceeded")
                        : Self.errorResponse(code: "ServiceUnavailable", message: "Service Unavailable", status: 503))
            }
        }
    }

    /// Answers the next `operation` requests with these responses instead (after rate limiting).
    public func script(_ operation: String, _ responses: [APIResponse]) {
        state.withLock { $0.scripted[operation, default: []] += responses }
    }

    public static func errorResponse(code: String, message: String, status: Int = 400) -> APIResponse {
        let body =
            "<?xml version=\"1.0\"?>\n<ErrorResponse xmlns=\"https://route53.amazonaws.com/doc/2013-04-01/\"><Error><Type>Sender</Type><Code>\(code)</Code><Message>\(XMLNode.escape(message))</Message></Error><RequestId>\(requestID())</RequestId></ErrorResponse>"
        return APIResponse(status: status, headers: [.init("Content-Type", "text/xml")], body: Array(body.utf8))
    }

    static func requestID() -> String {
        String((0..<36).map { _ in Array("0123456789abcdef-")[Int.random(in: 0..<17)] })
    }

    // MARK: Transport

    public func send(_ request: APIRequest, timeout: Duration) async throws -> APIResponse {
        if options.latency > .zero { try await Task.sleep(for: options.latency) }
        let url = WireParts(request.url)
        let operation = Self.operation(method: request.method, path: url.path)
        return state.withLock { state in
            state.requests.append(request)
            state.calls[operation, default: 0] += 1
            guard let authorization = request.header("Authorization"), authorization.contains("/route53/aws4_request"),
                request.header("X-Amz-Date") != nil
            else {
                return Self.errorResponse(code: "MissingAuthenticationToken", message: "Missing Authentication Token", status: 403)
            }
            if let refusal = authenticationFailure(request, authorization: authorization) { return refusal }
            if !state.faults.isEmpty { return state.faults.removeFirst() }
            if !takeToken(&state) {
                state.throttled += 1
                return Self.errorResponse(code: "Throttling", message: "Rate exceeded")
            }
            if var scripted = state.scripted[operation], !scripted.isEmpty {
                let response = scripted.removeFirst()
                state.scripted[operation] = scripted
                return response
            }
            switch operation {
            case "ListHostedZonesByName": return listZones(state, url.query)
            case "ListResourceRecordSets": return listRecordSets(state, zoneID: url.segment(3), url.query)
            case "ChangeResourceRecordSets": return change(&state, zoneID: url.segment(3), body: request.body)
            case "GetChange": return getChange(state, id: url.segment(3))
            default: return Self.errorResponse(code: "UnknownOperation", message: "\(request.method) \(url.path)", status: 404)
            }
        }
    }

    /// Recomputes the request's signature with the secret of its access key, as Route53 does.
    private func authenticationFailure(_ request: APIRequest, authorization: String) -> APIResponse? {
        guard let known = options.credentials else { return nil }
        guard let credential = authorization.split(separator: " ").first(where: { $0.hasPrefix("Credential=") }),
            let keyID = credential.dropFirst("Credential=".count).split(separator: "/").first.map(String.init),
            let secret = known[keyID]
        else {
            return Self.errorResponse(code: "InvalidClientTokenId", message: "The security token included in the request is invalid.", status: 403)
        }
        guard let stamp = request.header("X-Amz-Date"), stamp.count == 16,
            let time = AWSTimestamp(iso8601: Self.iso8601(fromAMZDate: stamp))
        else {
            return Self.errorResponse(code: "IncompleteSignature", message: "Date must be in ISO-8601 'basic format'", status: 403)
        }
        let token = request.header("X-Amz-Security-Token").map { SecretValue($0) }
        let signer = SigV4Signer(credentials: AWSCredentials(accessKeyID: keyID, secretAccessKey: SecretValue(secret), sessionToken: token), region: "us-east-1", service: "route53")
        guard signer.sign(request, at: time).authorization == authorization else {
            return Self.errorResponse(code: "SignatureDoesNotMatch", message: "The request signature we calculated does not match the signature you provided.", status: 403)
        }
        return nil
    }

    /// `20150830T123600Z` → `2015-08-30T12:36:00Z`.
    static func iso8601(fromAMZDate text: String) -> String {
        let c = Array(text)
        return "\(String(c[0..<4]))-\(String(c[4..<6]))-\(String(c[6..<8]))T\(String(c[9..<11])):\(String(c[11..<13])):\(String(c[13..<15]))Z"
    }

    static func operation(method: String, path: String) -> String {
        let parts = path.split(separator: "/")
        switch (method, parts.count > 1 ? String(parts[1]) : "", parts.count) {
        case ("GET", "hostedzonesbyname", _): return "ListHostedZonesByName"
        case ("GET", "hostedzone", 4) where parts[3] == "rrset": return "ListResourceRecordSets"
        case ("POST", "hostedzone", 4) where parts[3] == "rrset": return "ChangeResourceRecordSets"
        case ("GET", "change", 3): return "GetChange"
        default: return "Unknown"
        }
    }

    private func takeToken(_ state: inout State) -> Bool {
        guard let rate = options.requestsPerSecond else { return true }
        let now = ContinuousClock.now
        let elapsed = now - state.refilled
        state.tokens = min(options.burst, state.tokens + rate * (Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18))
        state.refilled = now
        guard state.tokens >= 1 else { return false }
        state.tokens -= 1
        return true
    }

    // MARK: Operations

    private func listZones(_ state: State, _ query: [String: String]) -> APIResponse {
        let maxItems = min(Int(query["maxitems"] ?? "") ?? options.maximumPageSize, options.maximumPageSize)
        let sorted = state.zones.values.sorted { ($0.name.reversedLabels, $0.id) < ($1.name.reversedLabels, $1.id) }
        var start = 0
        if let dnsName = query["dnsname"] {
            let key = (dnsName.normalisedName.reversedLabels, query["hostedzoneid"] ?? "")
            start = sorted.firstIndex { ($0.name.reversedLabels, $0.id) >= key } ?? sorted.count
        }
        let page = sorted[start..<min(sorted.count, start + maxItems)]
        let truncated = start + maxItems < sorted.count
        var xml = "<?xml version=\"1.0\"?>\n<ListHostedZonesByNameResponse xmlns=\"https://route53.amazonaws.com/doc/2013-04-01/\"><HostedZones>"
        for zone in page {
            xml += "<HostedZone><Id>/hostedzone/\(zone.id)</Id><Name>\(zone.name)</Name><CallerReference>ref-\(zone.id)</CallerReference>"
            xml += "<Config><PrivateZone>\(zone.isPrivate)</PrivateZone></Config><ResourceRecordSetCount>\(zone.sets.count)</ResourceRecordSetCount></HostedZone>"
        }
        xml += "</HostedZones>"
        if let dnsName = query["dnsname"] { xml += "<DNSName>\(dnsName)</DNSName>" }
        xml += "<IsTruncated>\(truncated)</IsTruncated><MaxItems>\(maxItems)</MaxItems>"
        if truncated {
            let next = sorted[start + maxItems]
            xml += "<NextDNSName>\(next.name)</NextDNSName><NextHostedZoneId>\(next.id)</NextHostedZoneId>"
        }
        xml += "</ListHostedZonesByNameResponse>"
        return APIResponse(status: 200, body: Array(xml.utf8))
    }

    private func listRecordSets(_ state: State, zoneID: String, _ query: [String: String]) -> APIResponse {
        guard let zone = state.zones[zoneID] else { return Self.errorResponse(code: "NoSuchHostedZone", message: "No hosted zone found with ID: \(zoneID)", status: 404) }
        let maxItems = min(Int(query["maxitems"] ?? "") ?? 300, 300, options.maximumPageSize)
        let sortKey: (RecordSet) -> (String, String, String) = { ($0.name.reversedLabels, $0.type, $0.setIdentifier ?? "") }
        let sorted = zone.sets.values.sorted { sortKey($0) < sortKey($1) }
        var start = 0
        if let name = query["name"] {
            let key = (name.normalisedName.reversedLabels, query["type"] ?? "", query["identifier"] ?? "")
            start = sorted.firstIndex { sortKey($0) >= key } ?? sorted.count
        }
        let page = sorted[start..<min(sorted.count, start + maxItems)]
        let truncated = start + maxItems < sorted.count
        var xml = "<?xml version=\"1.0\"?>\n<ListResourceRecordSetsResponse xmlns=\"https://route53.amazonaws.com/doc/2013-04-01/\"><ResourceRecordSets>"
        for set in page {
            xml += "<ResourceRecordSet><Name>\(set.name)</Name><Type>\(set.type)</Type>"
            if let id = set.setIdentifier { xml += "<SetIdentifier>\(XMLNode.escape(id))</SetIdentifier>" }
            if set.multiValue { xml += "<MultiValueAnswer>true</MultiValueAnswer>" }
            xml += "<TTL>\(set.ttl)</TTL><ResourceRecords>"
            for value in set.values { xml += "<ResourceRecord><Value>\(XMLNode.escape(value))</Value></ResourceRecord>" }
            xml += "</ResourceRecords></ResourceRecordSet>"
        }
        xml += "</ResourceRecordSets><IsTruncated>\(truncated)</IsTruncated><MaxItems>\(maxItems)</MaxItems>"
        if truncated {
            let next = sorted[start + maxItems]
            xml += "<NextRecordName>\(next.name)</NextRecordName><NextRecordType>\(next.type)</NextRecordType>"
            if let id = next.setIdentifier { xml += "<NextRecordIdentifier>\(XMLNode.escape(id))</NextRecordIdentifier>" }
        }
        xml += "</ListResourceRecordSetsResponse>"
        return APIResponse(status: 200, body: Array(xml.utf8))
    }

    private func change(_ state: inout State, zoneID: String, body: [UInt8]) -> APIResponse {
        guard var zone = state.zones[zoneID] else { return Self.errorResponse(code: "NoSuchHostedZone", message: "No hosted zone found with ID: \(zoneID)", status: 404) }
        let now = ContinuousClock.now
        if let busy = zone.busyUntil, busy > now {
            return Self.errorResponse(code: "PriorRequestNotComplete", message: "The request was rejected because Route 53 was still processing a prior request.")
        }
        guard let root = try? XMLNode.parse(body), root.name == "ChangeResourceRecordSetsRequest",
            let changes = root.node(at: ["ChangeBatch", "Changes"])?.children("Change"), !changes.isEmpty
        else { return Self.errorResponse(code: "InvalidInput", message: "Invalid XML ; cvc-complex-type: ChangeBatch is not complete") }

        var records = 0
        var characters = 0
        var parsed: [(action: String, set: RecordSet)] = []
        for change in changes {
            guard let action = change.text(at: "Action"), let rrset = change.child("ResourceRecordSet"),
                let name = rrset.text(at: "Name"), let type = rrset.text(at: "Type")
            else { return Self.errorResponse(code: "InvalidInput", message: "Invalid request: a Change lacks Action or ResourceRecordSet") }
            let values = rrset.child("ResourceRecords")?.children("ResourceRecord").compactMap { $0.text(at: "Value") } ?? []
            let weight = action == "UPSERT" ? 2 : 1
            records += values.count * weight
            characters += values.reduce(0) { $0 + $1.count } * weight
            let set = RecordSet(
                name: name.normalisedName, type: type, setIdentifier: rrset.text(at: "SetIdentifier"),
                multiValue: rrset.text(at: "MultiValueAnswer") == "true", ttl: Int(rrset.text(at: "TTL") ?? "") ?? -1, values: values
            )
            parsed.append((action, set))
        }
        if records > 1000 { return rejection(["Number of records limit of 1000 exceeded."]) }
        if characters > 32_000 { return rejection(["Number of characters in request limit of 32000 exceeded."]) }

        var messages: [String] = []
        var seen: Set<String> = []
        var sets = zone.sets
        for (action, set) in parsed {
            let described = "[name='\(set.name)', type='\(set.type)'\(set.setIdentifier.map { ", set-identifier='\($0)'" } ?? "")]"
            if !seen.insert(set.key).inserted {
                messages.append("The request contains an invalid set of changes for a resource record set '\(set.type) \(set.name)'")
                continue
            }
            guard set.name == zone.name || set.name.hasSuffix("." + zone.name) else {
                messages.append("RRSet with DNS name \(set.name) is not permitted in zone \(zone.name)")
                continue
            }
            let conflicting = sets.values.contains { $0.name == set.name && $0.type == set.type && ($0.setIdentifier == nil) != (set.setIdentifier == nil) }
            switch action {
            case "CREATE", "UPSERT":
                if conflicting {
                    messages.append(
                        "RRSet with DNS name \(set.name), type \(set.type)\(set.setIdentifier.map { ", SetIdentifier \($0)" } ?? "") cannot be created because a \(set.setIdentifier == nil ? "multivalue" : "non multivalue") answer rrset exists with the same name and type."
                    )
                } else if action == "CREATE", sets[set.key] != nil {
                    messages.append("Tried to create resource record set \(described) but it already exists")
                } else {
                    sets[set.key] = set
                }
            case "DELETE":
                guard let existing = sets[set.key] else {
                    messages.append("Tried to delete resource record set \(described) but it was not found")
                    continue
                }
                guard existing.ttl == set.ttl, existing.values == set.values, existing.multiValue == set.multiValue else {
                    messages.append("Tried to delete resource record set \(described) but the values provided do not match the current values")
                    continue
                }
                sets[set.key] = nil
            default:
                return Self.errorResponse(code: "InvalidInput", message: "Invalid request: unknown Action \(action)")
            }
        }
        guard messages.isEmpty else { return rejection(messages) }
        zone.sets = sets
        if options.zoneBusyAfterChange > .zero { zone.busyUntil = now + options.zoneBusyAfterChange }
        state.zones[zoneID] = zone
        let id = "C\(String(state.nextChange, radix: 36).uppercased())EMU"
        state.nextChange += 1
        state.changes[id] = now + options.syncDelay
        state.batchSizes.append(parsed.count)
        return changeInfo(id: id, inSync: options.syncDelay == .zero, root: "ChangeResourceRecordSetsResponse")
    }

    private func getChange(_ state: State, id: String) -> APIResponse {
        guard let ready = state.changes[id] else { return Self.errorResponse(code: "NoSuchChange", message: "A change with the specified change ID does not exist.", status: 404) }
        return changeInfo(id: id, inSync: ContinuousClock.now >= ready, root: "GetChangeResponse")
    }

    private func changeInfo(id: String, inSync: Bool, root: String) -> APIResponse {
        let xml =
            "<?xml version=\"1.0\"?>\n<\(root) xmlns=\"https://route53.amazonaws.com/doc/2013-04-01/\"><ChangeInfo><Id>/change/\(id)</Id><Status>\(inSync ? "INSYNC" : "PENDING")</Status><SubmittedAt>2026-01-01T00:00:00.000Z</SubmittedAt><Comment>Managed by cert-manager</Comment></ChangeInfo></\(root)>"
        return APIResponse(status: 200, body: Array(xml.utf8))
    }

    private func rejection(_ messages: [String]) -> APIResponse {
        switch options.errorShape {
        case .errorResponse:
            return Self.errorResponse(code: "InvalidChangeBatch", message: messages.count == 1 ? messages[0] : "[\(messages.joined(separator: ", "))]")
        case .invalidChangeBatchMessages:
            var xml = "<?xml version=\"1.0\"?>\n<InvalidChangeBatch xmlns=\"https://route53.amazonaws.com/doc/2013-04-01/\"><Messages>"
            for message in messages { xml += "<Message>\(XMLNode.escape(message))</Message>" }
            xml += "</Messages><RequestId>\(Self.requestID())</RequestId></InvalidChangeBatch>"
            return APIResponse(status: 400, body: Array(xml.utf8))
        }
    }
}

/// Path and decoded query of a wire URL.
struct WireParts {
    var path: String
    var query: [String: String] = [:]

    init(_ url: String) {
        var rest = Substring(url)
        if let scheme = rest.range(of: "://") { rest = rest[scheme.upperBound...] }
        rest = rest[(rest.firstIndex(of: "/") ?? rest.endIndex)...]
        if let question = rest.firstIndex(of: "?") {
            path = String(rest[..<question])
            for pair in rest[rest.index(after: question)...].split(separator: "&") {
                let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                query[PercentEncoding.decode(parts[0]) ?? ""] = parts.count > 1 ? PercentEncoding.decode(parts[1]) ?? "" : ""
            }
        } else {
            path = String(rest)
        }
    }

    func segment(_ index: Int) -> String {
        let parts = path.split(separator: "/")
        return index - 1 < parts.count ? PercentEncoding.decode(parts[index - 1]) ?? "" : ""
    }
}

extension String {
    var normalisedName: String { (hasSuffix(".") ? self : self + ".").lowercased() }
    /// `com.example.www` order, how Route53 sorts names; labels joined by U+0001, which sorts
    /// below every label character, so string order is label-by-label order.
    var reversedLabels: String { normalisedName.split(separator: ".").reversed().joined(separator: "\u{1}") }
}
