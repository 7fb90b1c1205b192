import Crypto
import ProviderKit
import Testing

@testable import HuaweiCloudProvider

@Suite("SDK-HMAC-SHA256 signer")
struct SDKHMACSignerTests {
    static func sha256(_ text: String) -> String { Array(SHA256.hash(data: Array(text.utf8))).hexString }

    @Test("reproduces the canonical request of Huawei's signing guide (its SK is not published)")
    func publishedCanonicalRequest() {
        let request = APIRequest(
            method: "GET", url: "https://service.region.example.com/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs?limit=2&marker=13551d6b-755d-4757-b956-536f674975c0",
            headers: [
                .init("Content-Type", "application/json"), .init("Host", "service.region.example.com"),
            ])
        let signed = SDKHMACSigner(accessKey: "AK", secretKey: "unpublished").sign(request, sdkDate: "20191115T033655Z")
        #expect(
            signed.canonicalRequest
                == "GET\n/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs/\nlimit=2&marker=13551d6b-755d-4757-b956-536f674975c0\ncontent-type:application/json\nhost:service.region.example.com\nx-sdk-date:20191115T033655Z\n\ncontent-type;host;x-sdk-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        )
        #expect(Self.sha256(signed.canonicalRequest) == "b25362e603ee30f4f25e7858e8a7160fd36e803bb2dfe206278659d71a9bcd7a")
    }

    @Test("reproduces the reference's CreateRecordSet and ListRecordSets vectors")
    func referenceVectors() {
        let signer = SDKHMACSigner(accessKey: "HWAKEXAMPLE", secretKey: "hwskexample")
        let headers: [APIRequest.Header] = [.init("Content-Type", "application/json"), .init("Host", "dns.cn-north-4.myhuaweicloud.com")]
        let body = #"{"name":"_acme-challenge.example.com.","type":"TXT","ttl":300,"records":["\"test-value\""]}"#
        let post = signer.sign(APIRequest(method: "POST", url: "https://dns.cn-north-4.myhuaweicloud.com/v2/zones/ff8080825b8fda0b015b9bf3a3e5b9b6/recordsets", headers: headers, body: Array(body.utf8)), sdkDate: "20231114T221320Z")
        #expect(post.signature == "3b2681f586ecc804b7f03dc488247f774c31244cf7a2b3b4a3651d5d6cf28fdf")
        #expect(post.authorization == "SDK-HMAC-SHA256 Access=HWAKEXAMPLE, SignedHeaders=content-type;host;x-sdk-date, Signature=3b2681f586ecc804b7f03dc488247f774c31244cf7a2b3b4a3651d5d6cf28fdf")
        let get = signer.sign(
            APIRequest(method: "GET", url: "https://dns.cn-north-4.myhuaweicloud.com/v2/zones/ff8080825b8fda0b015b9bf3a3e5b9b6/recordsets?type=TXT&name=_acme-challenge.example.com.&search_mode=equal", headers: headers), sdkDate: "20231114T221320Z")
        #expect(get.canonicalRequest.contains("\nname=_acme-challenge.example.com.&search_mode=equal&type=TXT\n"))
        #expect(get.signature == "900b8c5fc369a06ca1c20c3784f14decb63755687915db97a7e53bfd7496cd9d")
    }

    @Test("signs every header without an underscore, adds Host, the date and the token, and replaces a previous signature")
    func headers() {
        let signer = SDKHMACSigner(accessKey: "AK", secretKey: "SK", securityToken: "token+/=")
        let first = signer.sign(
            APIRequest(
                method: "DELETE", url: "http://127.0.0.1:8080/v2/zones/z/recordsets/r",
                headers: [
                    .init("Content-Type", "application/json"), .init("User-Agent", " dns01-webhook "), .init("X-Project-Id", "p1"), .init("X_Ignored", "x"),
                ]), sdkDate: "20240101T000000Z")
        #expect(first.signedHeaders == "content-type;host;user-agent;x-project-id;x-sdk-date;x-security-token")
        #expect(first.canonicalRequest.contains("\nhost:127.0.0.1:8080\nuser-agent:dns01-webhook\n"))
        let second = signer.sign(first.request, sdkDate: "20240101T000001Z")
        #expect(second.request.headers.filter { $0.name == "Authorization" }.count == 1)
        #expect(second.request.headers.filter { $0.name == "X-Sdk-Date" }.map(\.value) == ["20240101T000001Z"])
        #expect(second.request.headers.filter { $0.name == "X-Security-Token" }.map(\.value) == ["token+/="])
        #expect(second.signedHeaders == first.signedHeaders)
    }

    @Test("the path is decoded and re-encoded per segment and always ends in /; the query is decoded, sorted and re-encoded")
    func uriAndQuery() {
        #expect(SDKHMACSigner.canonicalURI("/v2/zones/a%20b/recordsets") == "/v2/zones/a%20b/recordsets/")
        #expect(SDKHMACSigner.canonicalURI("/v2/a+b~c/") == "/v2/a%2Bb~c/")
        #expect(SDKHMACSigner.canonicalURI("/%E4%B8%AD") == "/%E4%B8%AD/")
        #expect(SDKHMACSigner.canonicalURI("/") == "/")
        #expect(SDKHMACSigner.canonicalQuery("b=2&a=%20x&a=1&c") == "a=%20x&a=1&b=2&c=")
        #expect(SDKHMACSigner.canonicalQuery("name=%E4%B8%AD%E6%96%87.&type=TXT") == "name=%E4%B8%AD%E6%96%87.&type=TXT")
        #expect(SDKHMACSigner.canonicalQuery("") == "")
    }

    @Test("an unsigned payload is declared by X-Sdk-Content-Sha256; an empty body hashes as empty")
    func payload() {
        let unsigned = SDKHMACSigner(accessKey: "AK", secretKey: "SK").sign(
            APIRequest(
                method: "POST", url: "https://h/x",
                headers: [
                    .init("Content-Type", "application/octet-stream"), .init("X-Sdk-Content-Sha256", "UNSIGNED-PAYLOAD"),
                ], body: [1, 2, 3]), sdkDate: "20240101T000000Z")
        #expect(unsigned.canonicalRequest.hasSuffix("\nUNSIGNED-PAYLOAD"))
    }

    @Test(
        "X-Sdk-Date is the UTC time of the epoch second",
        arguments: [
            (Int64(0), "19700101T000000Z"), (Int64(1_700_000_000), "20231114T221320Z"), (Int64(951_868_799), "20000229T235959Z"),
        ])
    func sdkDate(seconds: Int64, text: String) {
        #expect(SDKDate.string(fromEpochSeconds: seconds) == text)
    }
}
