import ProviderKit

/// The four Route53 operations this provider uses, as typed calls over `AWSRequestSender`.
/// Requests carry only the headers botocore signs for Route53 (`host`, `x-amz-date`, and the
/// session token), so the signature matches what the AWS SDKs send.
public struct Route53Client: Sendable {
    /// `https://route53.amazonaws.com`, or the configured override; no trailing slash.
    public var endpoint: String
    public var signer: SigV4Signer
    public var sender: AWSRequestSender
    /// Shared by every client of one account, so together they stay under its request rate.
    public var pacer: RequestPacer?

    public init(endpoint: String, signer: SigV4Signer, sender: AWSRequestSender, pacer: RequestPacer? = nil) {
        self.endpoint = endpoint.hasSuffix("/") ? String(endpoint.dropLast()) : endpoint
        self.signer = signer
        self.sender = sender
        self.pacer = pacer
    }

    public func listHostedZonesByName(dnsName: String?, hostedZoneID: String? = nil, maxItems: Int? = nil) async throws -> HostedZonePage {
        var query: [(String, String)] = []
        if let dnsName { query.append(("dnsname", dnsName)) }
        if let hostedZoneID { query.append(("hostedzoneid", hostedZoneID)) }
        if let maxItems { query.append(("maxitems", String(maxItems))) }
        let root = try await call("GET", "/2013-04-01/hostedzonesbyname", query: query, operation: "ListHostedZonesByName")
        return Route53XML.hostedZonePage(root)
    }

    public func listResourceRecordSets(zoneID: String, name: String, type: String, identifier: String? = nil, maxItems: Int? = nil) async throws -> RecordSetPage {
        var query: [(String, String)] = [("name", name), ("type", type)]
        if let identifier { query.append(("identifier", identifier)) }
        if let maxItems { query.append(("maxitems", String(maxItems))) }
        let root = try await call("GET", "/2013-04-01/hostedzone/\(PercentEncoding.rfc3986(zoneID))/rrset", query: query, operation: "ListResourceRecordSets")
        return Route53XML.recordSetPage(root)
    }

    public func changeResourceRecordSets(zoneID: String, changes: [TXTChange], comment: String = "Managed by cert-manager") async throws -> ChangeInfo {
        let body = Route53XML.changeBatch(changes, comment: comment)
        let root = try await call("POST", "/2013-04-01/hostedzone/\(PercentEncoding.rfc3986(zoneID))/rrset", body: Array(body.utf8), operation: "ChangeResourceRecordSets")
        guard let info = Route53XML.changeInfo(root) else { throw malformed("ChangeResourceRecordSets") }
        return info
    }

    public func getChange(id: String) async throws -> ChangeInfo {
        let root = try await call("GET", "/2013-04-01/change/\(PercentEncoding.rfc3986(id))", operation: "GetChange")
        guard let info = Route53XML.changeInfo(root) else { throw malformed("GetChange") }
        return info
    }

    private func call(_ method: String, _ path: String, query: [(String, String)] = [], body: [UInt8] = [], operation: String) async throws -> XMLNode {
        let url = endpoint + path + (query.isEmpty ? "" : "?" + PercentEncoding.query(query))
        let response = try await sender.send(APIRequest(method: method, url: url, body: body), operation: operation, signer: signer, pacer: pacer)
        do {
            return try XMLNode.parse(response.body)
        } catch {
            throw malformed(operation)
        }
    }

    private func malformed(_ operation: String) -> AWSServiceError {
        AWSServiceError(operation: operation, status: 200, code: "MalformedResponse", messages: ["the answer is not the XML Route53 sends"])
    }
}
