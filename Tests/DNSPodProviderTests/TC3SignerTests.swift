import Crypto
import ProviderKit
import Testing

@testable import DNSPodProvider

@Suite("TC3-HMAC-SHA256 signer")
struct TC3SignerTests {
    static let exampleKey = "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE"

    static func sha256(_ text: String) -> String { Array(SHA256.hash(data: Array(text.utf8))).hexString }

    @Test("reproduces Tencent's published example (CVM DescribeInstances, 2019-02-25)")
    func publishedExample() {
        // The body's \u escapes are literal ASCII, exactly as the document prints them.
        let body = #"{"Limit": 1, "Filters": [{"Values": ["\u672a\u547d\u540d"], "Name": "instance-name"}]}"#
        let request = APIRequest(
            method: "POST", url: "https://cvm.tencentcloudapi.com/",
            headers: [
                .init("Content-Type", "application/json; charset=utf-8"),
                .init("Host", "cvm.tencentcloudapi.com"),
                .init("X-TC-Action", "DescribeInstances"),
            ], body: Array(body.utf8))
        let signed = TC3Signer(secretId: "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE", secretKey: Self.exampleKey, service: "cvm").sign(request, timestamp: 1_551_113_065)
        #expect(signed.canonicalRequest.hasSuffix("\n35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064"))
        #expect(Self.sha256(signed.canonicalRequest) == "5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031")
        #expect(signed.stringToSign == "TC3-HMAC-SHA256\n1551113065\n2019-02-25/cvm/tc3_request\n5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031")
        #expect(signed.signature == "72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168")
        #expect(signed.authorization == "TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE/2019-02-25/cvm/tc3_request, SignedHeaders=content-type;host, Signature=72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168")
        #expect(signed.request.header("X-TC-Timestamp") == "1551113065")
        #expect(signed.request.header("X-TC-Token") == nil)
    }

    @Test("derives the documented key chain: TC3+key, then date, service and tc3_request")
    func keyChain() {
        let key = TC3Signer(secretId: "id", secretKey: Self.exampleKey, service: "cvm").signingKey(date: "2019-02-25")
        #expect(key.withUnsafeBytes { Array($0) }.hexString == "ac658d5dde49e9bfdd14e04e062f66b05d9f637d44b8a8d845327d4a77f666b1")
    }

    @Test("reproduces the reference's DNSPod CreateRecord vector")
    func dnspodVector() {
        let body = #"{"Domain": "example.com", "SubDomain": "_acme-challenge", "RecordType": "TXT", "RecordLine": "\u9ed8\u8ba4", "Value": "test-value", "TTL": 600}"#
        let request = APIRequest(
            method: "POST", url: "https://dnspod.tencentcloudapi.com/",
            headers: [
                .init("Content-Type", "application/json"), .init("X-TC-Action", "CreateRecord"),
            ], body: Array(body.utf8))
        let signed = TC3Signer(secretId: "AKIDEXAMPLE", secretKey: Self.exampleKey, service: "dnspod").sign(request, timestamp: 1_700_000_000)
        #expect(signed.canonicalRequest == "POST\n/\n\ncontent-type:application/json\nhost:dnspod.tencentcloudapi.com\n\ncontent-type;host\n2cb2484398cb6736e3d37bc0be5a3f793aa3afc568fba6617ac49fde294dd28c")
        #expect(Self.sha256(signed.canonicalRequest) == "961f77917ff097fbded8f93a7e33a279fd2b5b5574e3dc20e336cb32f96822c1")
        #expect(signed.signature == "d8a976da8f54cdbbf5e06f16764cb97c40d15f4ad037afab69dc387db2db07ae")
        #expect(signed.authorization.hasPrefix("TC3-HMAC-SHA256 Credential=AKIDEXAMPLE/2023-11-14/dnspod/tc3_request, "))
    }

    @Test("signs the Host with its port, lower-cases signed values and names, and sorts them")
    func headerRules() {
        let request = APIRequest(
            method: "POST", url: "http://127.0.0.1:8443/",
            headers: [
                .init("Content-Type", "  Application/JSON "), .init("X-TC-Action", "CreateRecord"),
            ], body: [])
        let signed = TC3Signer(secretId: "id", secretKey: "key", service: "dnspod").sign(request, timestamp: 0, signedHeaders: ["X-TC-Action", "host", "content-type"])
        #expect(signed.signedHeaders == "content-type;host;x-tc-action")
        #expect(signed.canonicalRequest.contains("\ncontent-type:application/json\nhost:127.0.0.1:8443\nx-tc-action:createrecord\n\n"))
        #expect(signed.stringToSign.contains("\n1970-01-01/dnspod/tc3_request\n"))
    }

    @Test("a GET signs its query; a POST signs an empty query and the exact body bytes")
    func queryAndBody() {
        let get = TC3Signer(secretId: "id", secretKey: "key", service: "dnspod").sign(
            APIRequest(method: "get", url: "https://dnspod.tencentcloudapi.com/?Limit=1&Domain=example.com", headers: [.init("Content-Type", "application/x-www-form-urlencoded")]),
            timestamp: 1)
        #expect(get.canonicalRequest.hasPrefix("GET\n/\nLimit=1&Domain=example.com\n"))
        #expect(get.canonicalRequest.hasSuffix("\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"))
        let post = TC3Signer(secretId: "id", secretKey: "key", service: "dnspod").sign(
            APIRequest(method: "POST", url: "https://dnspod.tencentcloudapi.com/?ignored=1", headers: [.init("Content-Type", "application/json")], body: Array("{}".utf8)),
            timestamp: 1)
        #expect(post.canonicalRequest.hasPrefix("POST\n/\n\n"))
        #expect(post.canonicalRequest.hasSuffix("\n" + Self.sha256("{}")))
    }

    @Test("temporary keys send their token; signing again replaces the previous signature's headers")
    func tokenAndResigning() {
        let signer = TC3Signer(secretId: "AKIDTEMP", secretKey: "key", sessionToken: "token/with+chars==", service: "dnspod")
        let first = signer.sign(APIRequest(method: "POST", url: "https://dnspod.tencentcloudapi.com/", headers: [.init("Content-Type", "application/json")]), timestamp: 100)
        let second = signer.sign(first.request, timestamp: 200)
        #expect(second.request.headers.filter { $0.name == "Authorization" }.count == 1)
        #expect(second.request.headers.filter { $0.name == "X-TC-Timestamp" }.map(\.value) == ["200"])
        #expect(second.request.headers.filter { $0.name == "X-TC-Token" }.map(\.value) == ["token/with+chars=="])
        #expect(first.signature != second.signature)
        // The token is a header, not part of what is signed by default (as in the SDKs).
        #expect(!second.canonicalRequest.contains("token"))
    }

    @Test(
        "dates are the UTC day of the timestamp, across day, year and leap-year boundaries",
        arguments: [
            (Int64(0), "1970-01-01"), (Int64(86_399), "1970-01-01"), (Int64(86_400), "1970-01-02"),
            (Int64(951_782_400), "2000-02-29"), (Int64(1_704_067_199), "2023-12-31"), (Int64(1_704_067_200), "2024-01-01"),
            (Int64(4_102_444_800), "2100-01-01"),
        ])
    func dates(seconds: Int64, date: String) {
        #expect(TC3Signer.date(ofEpochSeconds: seconds) == date)
    }

    @Test("a signer that keeps its day's key signs across days exactly as fresh signers do")
    func keyMemoAcrossDays() {
        let request = APIRequest(method: "POST", url: "https://dnspod.tencentcloudapi.com/", headers: [.init("Content-Type", "application/json")], body: Array("{}".utf8))
        let reused = TC3Signer(secretId: "id", secretKey: "key", service: "dnspod")
        for timestamp in [Int64(1_700_000_000), 1_700_086_400, 1_700_000_001, 1_700_172_800] {
            let fresh = TC3Signer(secretId: "id", secretKey: "key", service: "dnspod").sign(request, timestamp: timestamp)
            #expect(reused.sign(request, timestamp: timestamp) == fresh)
        }
    }
}
