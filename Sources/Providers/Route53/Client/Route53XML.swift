/// The XML bodies of the Route53 API (version 2013-04-01): the one request body it takes, and
/// the responses this provider reads.
package enum Route53XML {
    static let namespace = "https://route53.amazonaws.com/doc/2013-04-01/"

    /// A ChangeResourceRecordSets request in the SDK's element order.
    static func changeBatch(_ changes: [TXTChange], comment: String) -> String {
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ChangeResourceRecordSetsRequest xmlns=\"\(namespace)\"><ChangeBatch>"
        xml += "<Comment>\(XMLNode.escape(comment))</Comment><Changes>"
        for change in changes {
            xml += "<Change><Action>\(change.action.rawValue)</Action><ResourceRecordSet>"
            xml += "<Name>\(XMLNode.escape(change.name))</Name><Type>TXT</Type>"
            xml += "<SetIdentifier>\(XMLNode.escape(change.setIdentifier))</SetIdentifier><MultiValueAnswer>true</MultiValueAnswer>"
            xml += "<TTL>\(change.ttl)</TTL><ResourceRecords><ResourceRecord><Value>\(XMLNode.escape(change.quotedValue))</Value></ResourceRecord></ResourceRecords>"
            xml += "</ResourceRecordSet></Change>"
        }
        xml += "</Changes></ChangeBatch></ChangeResourceRecordSetsRequest>"
        return xml
    }

    static func hostedZonePage(_ root: XMLNode) -> HostedZonePage {
        let zones = (root.child("HostedZones")?.children("HostedZone") ?? []).map { zone in
            HostedZone(
                id: (zone.text(at: "Id") ?? "").strippingAWSPrefix("/hostedzone/"),
                name: zone.text(at: "Name") ?? "",
                isPrivate: zone.text(at: "Config", "PrivateZone") == "true"
            )
        }
        return HostedZonePage(
            zones: zones,
            isTruncated: root.text(at: "IsTruncated") == "true",
            nextDNSName: root.text(at: "NextDNSName"),
            nextHostedZoneID: root.text(at: "NextHostedZoneId").map { $0.strippingAWSPrefix("/hostedzone/") }
        )
    }

    static func recordSetPage(_ root: XMLNode) -> RecordSetPage {
        let sets = (root.child("ResourceRecordSets")?.children("ResourceRecordSet") ?? []).map { set in
            ResourceRecordSet(
                name: set.text(at: "Name") ?? "",
                type: set.text(at: "Type") ?? "",
                setIdentifier: set.text(at: "SetIdentifier"),
                ttl: set.text(at: "TTL").flatMap { Int($0) },
                values: (set.child("ResourceRecords")?.children("ResourceRecord") ?? []).compactMap { $0.text(at: "Value") }
            )
        }
        return RecordSetPage(
            recordSets: sets,
            isTruncated: root.text(at: "IsTruncated") == "true",
            nextRecordName: root.text(at: "NextRecordName"),
            nextRecordType: root.text(at: "NextRecordType"),
            nextRecordIdentifier: root.text(at: "NextRecordIdentifier")
        )
    }

    static func changeInfo(_ root: XMLNode) -> ChangeInfo? {
        guard let info = root.child("ChangeInfo"), let id = info.text(at: "Id") else { return nil }
        return ChangeInfo(id: id.strippingAWSPrefix("/change/"), isInSync: info.text(at: "Status") == "INSYNC")
    }
}

extension String {
    /// A Route53 name as text compares: lower-case, with the `\052`-style octal escapes Route53
    /// writes for special characters decoded, and a trailing dot.
    var route53Canonical: String {
        var result = ""
        var scalars = Array(unicodeScalars)[...]
        while let scalar = scalars.popFirst() {
            if scalar == "\\", scalars.count >= 3,
               let value = UInt32(String(String.UnicodeScalarView(scalars.prefix(3))), radix: 8), let decoded = Unicode.Scalar(value) {
                result.unicodeScalars.append(decoded)
                scalars = scalars.dropFirst(3)
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        result = result.lowercased()
        return result.hasSuffix(".") ? result : result + "."
    }
}
