import ProviderKit
import Testing

@testable import AliDNSProvider

/// The signer against Alibaba's published example and the reference's AliDNS vectors.
@Suite("RPC signature V1")
struct RPCSignatureV1Tests {
    static let nonce = "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf"
    static let timestamp = "2016-02-23T12:46:24Z"
    static let describeRegions = [
        RPCParameter("Action", "DescribeRegions"),
        RPCParameter("Format", "XML"),
        RPCParameter("Version", "2014-05-26"),
    ]
    let signer = RPCSignatureV1(accessKeyId: "testid", accessKeySecret: "testsecret")

    @Test("reproduces Alibaba's documented GET example, canonical query and string to sign included")
    func documentedGETExample() {
        let signed = signer.sign(method: "GET", parameters: Self.describeRegions, nonce: Self.nonce, timestamp: Self.timestamp)
        #expect(
            signed.canonicalizedQuery == "AccessKeyId=testid&Action=DescribeRegions&Format=XML&SignatureMethod=HMAC-SHA1&SignatureNonce=3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf&SignatureVersion=1.0&Timestamp=2016-02-23T12%3A46%3A24Z&Version=2014-05-26")
        #expect(
            signed.stringToSign
                == "GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions%26Format%3DXML%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf%26SignatureVersion%3D1.0%26Timestamp%3D2016-02-23T12%253A46%253A24Z%26Version%3D2014-05-26"
        )
        #expect(signed.signature == "OLeaidS1JvxuMvnyHOwuJ+uX5qY=")
        #expect(signed.formEncoded.hasSuffix("&Signature=OLeaidS1JvxuMvnyHOwuJ%2BuX5qY%3D"))
    }

    @Test("signs the method: the same parameters by POST give the published POST signature")
    func documentedPOSTExample() {
        let signed = signer.sign(method: "POST", parameters: Self.describeRegions, nonce: Self.nonce, timestamp: Self.timestamp)
        #expect(signed.signature == "MxbnVAM4w6sft9xjVpe/GCKueuk=")
    }

    @Test("AddDomainRecord vector: TTL sorts before Timestamp by byte order")
    func addDomainRecordVector() {
        let signed = signer.sign(
            method: "GET",
            parameters: [
                RPCParameter("Action", "AddDomainRecord"), RPCParameter("DomainName", "example.com"),
                RPCParameter("Format", "JSON"), RPCParameter("RR", "_acme-challenge"), RPCParameter("TTL", "600"),
                RPCParameter("Type", "TXT"), RPCParameter("Value", "LHDhK3oGRvkiefQnx7OOczTY5Tic_xZ6HcMOc_gmtoM"),
                RPCParameter("Version", "2015-01-09"),
            ], nonce: Self.nonce, timestamp: Self.timestamp)
        #expect(
            signed.canonicalizedQuery
                == "AccessKeyId=testid&Action=AddDomainRecord&DomainName=example.com&Format=JSON&RR=_acme-challenge&SignatureMethod=HMAC-SHA1&SignatureNonce=3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf&SignatureVersion=1.0&TTL=600&Timestamp=2016-02-23T12%3A46%3A24Z&Type=TXT&Value=LHDhK3oGRvkiefQnx7OOczTY5Tic_xZ6HcMOc_gmtoM&Version=2015-01-09"
        )
        #expect(signed.signature == "dO9U+c+/j43/6fKEajHAxPkH8S4=")
    }

    @Test("an STS security token is signed like any parameter, + / = encoded")
    func securityTokenVector() {
        let stsSigner = RPCSignatureV1(accessKeyId: "testid", accessKeySecret: "testsecret", securityToken: "CAIS+token/with=chars")
        let signed = stsSigner.sign(
            method: "GET",
            parameters: [
                RPCParameter("Action", "DescribeDomainRecords"), RPCParameter("DomainName", "example.com"),
                RPCParameter("Format", "JSON"), RPCParameter("PageSize", "500"), RPCParameter("RRKeyWord", "_acme-challenge"),
                RPCParameter("SearchMode", "EXACT"), RPCParameter("Type", "TXT"), RPCParameter("Version", "2015-01-09"),
            ], nonce: Self.nonce, timestamp: Self.timestamp)
        #expect(signed.canonicalizedQuery.contains("SecurityToken=CAIS%2Btoken%2Fwith%3Dchars&"))
        #expect(signed.signature == "Euir7r2qXBMKkRxAqgVp/CjJ7Lc=")
    }

    @Test("percent-encodes space as %20 and * as %2A, keeps ~")
    func percentEncoding() {
        #expect(PercentEncoding.rfc3986("a b*c~d+e/f:g") == "a%20b%2Ac~d%2Be%2Ff%3Ag")
    }

    @Test("a Signature already among the parameters is neither signed nor sent twice")
    func existingSignatureIsReplaced() {
        let signed = signer.sign(method: "GET", parameters: Self.describeRegions + [RPCParameter("Signature", "stale")], nonce: Self.nonce, timestamp: Self.timestamp)
        #expect(signed.signature == "OLeaidS1JvxuMvnyHOwuJ+uX5qY=")
        #expect(signed.parameters.filter { $0.name == "Signature" }.map(\.value) == ["OLeaidS1JvxuMvnyHOwuJ+uX5qY="])
    }

    @Test(
        "formats and parses timestamps in UTC",
        arguments: [
            (Int64(0), "1970-01-01T00:00:00Z"),
            (Int64(1_456_231_584), "2016-02-23T12:46:24Z"),
            (Int64(951_782_400), "2000-02-29T00:00:00Z"),
            (Int64(4_102_444_799), "2099-12-31T23:59:59Z"),
        ])
    func timestamps(seconds: Int64, text: String) {
        #expect(RPCTimestamp.string(fromEpochSeconds: seconds) == text)
        #expect(RPCTimestamp.epochSeconds(from: text) == seconds)
    }

    @Test("rejects timestamps that are not yyyy-MM-ddTHH:mm:ssZ", arguments: ["2016-02-23 12:46:24Z", "2016-02-23T12:46:24", "2016-13-01T00:00:00Z", "2016-02-23T12:46:24.5Z", ""])
    func badTimestamps(text: String) {
        #expect(RPCTimestamp.epochSeconds(from: text) == nil)
    }
}

@Suite("RFC 3986 byte encoder")
struct PercentEncodingBytesTests {
    @Test("encodes every byte, and multi-byte text, exactly as PercentEncoding.rfc3986 does")
    func agreesWithStringEncoder() {
        for byte in UInt8.min...UInt8.max where byte < 0x80 {
            var out: [UInt8] = []
            PercentEncoding.appendRFC3986([byte], to: &out)
            #expect(String(decoding: out, as: UTF8.self) == PercentEncoding.rfc3986(String(UnicodeScalar(byte))))
        }
        for text in ["a b*c~d+e/f:g", "中文 é😀", "%20%7E", ""] {
            var out: [UInt8] = []
            PercentEncoding.appendRFC3986(text.utf8, to: &out)
            #expect(String(decoding: out, as: UTF8.self) == PercentEncoding.rfc3986(text))
        }
    }
}
