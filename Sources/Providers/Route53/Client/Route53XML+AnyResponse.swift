import DNS01
import ProviderKit

extension Route53XML {
    /// Reads `body` as the provider reads any answer from Route53 or STS: the XML, then every
    /// response it takes apart (hosted-zone and record-set pages, change info, an error, STS
    /// credentials' expiry) and the names as the provider compares them. Whatever the body,
    /// this returns; the fuzz target (Tests/Fuzz/fuzz-route53-xml) checks that it does.
    package static func readAsEveryResponse(_ body: [UInt8]) {
        _ = AWSServiceError.parse(operation: "Fuzz", response: APIResponse(status: 400, body: body))
        guard let root = try? XMLNode.parse(body) else { return }
        for zone in hostedZonePage(root).zones {
            _ = try? DomainName(zone.name.route53Canonical)
        }
        let records = recordSetPage(root)
        for name in records.recordSets.map(\.name) + [records.nextRecordName ?? ""] {
            _ = name.route53Canonical
        }
        _ = changeInfo(root)
        // STS: <AssumeRole…Result><Credentials><Expiration>.
        for result in root.children {
            if let expiration = result.child("Credentials")?.text(at: "Expiration") {
                _ = AWSTimestamp(iso8601: expiration)
            }
        }
    }
}
