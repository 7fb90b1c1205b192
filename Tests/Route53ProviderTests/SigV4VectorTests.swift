import Crypto
import DNS01
import ProviderKit
import Route53Provider
import Testing

/// The AWS SigV4 test suite (awslabs/aws-c-auth `tests/aws-signing-test-suite/v4`, and the
/// original suite's `post-x-www-form-urlencoded`), plus Route53-shaped requests.
@Suite("SigV4 signer against AWS's published vectors")
struct SigV4VectorTests {
    static let time = AWSTimestamp(iso8601: "2015-08-30T12:36:00Z")!
    static let credentials = AWSCredentials(accessKeyID: "AKIDEXAMPLE", secretAccessKey: SecretValue("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"))
    static let signer = SigV4Signer(credentials: credentials, region: "us-east-1", service: "service")

    func sign(_ method: String, _ url: String, headers: [APIRequest.Header] = [.init("Host", "example.amazonaws.com")], body: String = "", signer: SigV4Signer = signer) -> SigV4Signer.Signature {
        signer.sign(APIRequest(method: method, url: url, headers: headers, body: Array(body.utf8)), at: Self.time)
    }

    @Test("the test time formats as X-Amz-Date 20150830T123600Z")
    func timestamp() {
        #expect(Self.time.amzDate == "20150830T123600Z")
        #expect(Self.time.dateStamp == "20150830")
        #expect(Self.time.secondsSince1970 == 1_440_938_160)
    }

    @Test("get-vanilla gives the suite's canonical request and signature")
    func getVanilla() {
        let result = sign("GET", "https://example.amazonaws.com/")
        #expect(result.canonicalRequest == "GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(result.stringToSign.hasSuffix("\nbb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63"))
        #expect(result.authorization == "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31")
        #expect(result.request.header("X-Amz-Date") == "20150830T123600Z")
        #expect(result.request.header("Authorization") == result.authorization)
    }

    @Test("get-vanilla-query-order-key-case sorts the query by encoded key")
    func queryOrder() {
        let result = sign("GET", "https://example.amazonaws.com/?Param2=value2&Param1=value1")
        #expect(result.canonicalRequest.split(separator: "\n", omittingEmptySubsequences: false)[2] == "Param1=value1&Param2=value2")
        #expect(result.stringToSign.hasSuffix("816cd5b414d056048ba4f7c5386d6e0533120fb1fcfa93762cf0fc39e2cf19e0"))
        #expect(result.signature == "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500")
    }

    @Test("get-vanilla-with-session-token signs and sends x-amz-security-token")
    func sessionToken() {
        var credentials = Self.credentials
        credentials.sessionToken = SecretValue("6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267")
        let result = sign("GET", "https://example.amazonaws.com/", signer: SigV4Signer(credentials: credentials, region: "us-east-1", service: "service"))
        #expect(result.signedHeaders == "host;x-amz-date;x-amz-security-token")
        #expect(result.stringToSign.hasSuffix("067b36aa60031588cea4a4cde1f21215227a047690c72247f1d70b32fbbfad2b"))
        #expect(result.signature == "07ec1639c89043aa0e3e2de82b96708f198cceab042d4a97044c66dd9f74e7f8")
        #expect(result.request.header("X-Amz-Security-Token") == "6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267")
    }

    @Test("post-vanilla and post-vanilla-query")
    func postVanilla() {
        #expect(sign("POST", "https://example.amazonaws.com/").signature == "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b")
        #expect(sign("POST", "https://example.amazonaws.com/?Param1=value1").signature == "28038455d6de14eafc1f9222cf5aa6f1a96197d7deb8263271d420d138af7f11")
    }

    @Test("post-x-www-form-urlencoded, original suite (content-type signed) and aws-c-auth flavour (length and payload hash too)")
    func formPost() {
        let original = sign(
            "POST", "https://example.amazonaws.com/",
            headers: [
                .init("Content-Type", "application/x-www-form-urlencoded"), .init("Host", "example.amazonaws.com"),
            ], body: "Param1=value1")
        #expect(original.canonicalRequest.hasSuffix("\n9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e"))
        #expect(original.signedHeaders == "content-type;host;x-amz-date")
        #expect(original.signature == "ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a")

        let cAuth = sign(
            "POST", "https://example.amazonaws.com/",
            headers: [
                .init("Content-Type", "application/x-www-form-urlencoded"), .init("Host", "example.amazonaws.com"),
                .init("Content-Length", "13"), .init("X-Amz-Content-SHA256", "9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e"),
            ], body: "Param1=value1")
        #expect(cAuth.signature == "d3875051da38690788ef43de4db0d8f280229d82040bfac253562e56c3f20e0b")
    }

    @Test("Route53 ListHostedZonesByName and GetChange requests sign as in providers.md")
    func route53Shaped() {
        let route53 = SigV4Signer(credentials: Self.credentials, region: "us-east-1", service: "route53")
        let list = route53.sign(APIRequest(method: "GET", url: "https://route53.amazonaws.com/2013-04-01/hostedzonesbyname?dnsname=example.com"), at: Self.time)
        #expect(list.stringToSign.hasSuffix("62d2a76a85834c088a5229a5895d8f799d740d031c7c1668b21cc3e1698387ba"))
        #expect(list.signature == "42e6732f4ddcace4763b1d3cac7f964a50c56b9cce59b1e0b0b1973c1f049c04")
        let change = route53.sign(APIRequest(method: "GET", url: "https://route53.amazonaws.com/2013-04-01/change/C2682N5HXP0BZ4"), at: Self.time)
        #expect(change.stringToSign.hasSuffix("63948b498675082c1889349f7317b09d682442c028b4bd7467c94bc20a029d41"))
        #expect(change.signature == "af84eece3c09ff2d3caadc2a6939474a2cc49d92110ed0357a1c9f427748090f")
    }

    @Test("signing again replaces the previous signature instead of signing it")
    func resign() {
        let first = sign("GET", "https://example.amazonaws.com/")
        let again = Self.signer.sign(first.request, at: Self.time)
        #expect(again.signature == first.signature)
        #expect(again.request.headers.filter { $0.name == "Authorization" }.count == 1)
    }

    @Test("the secret key never appears in a signature's printable parts")
    func noSecretInOutput() {
        let result = sign("GET", "https://example.amazonaws.com/")
        let printed = "\(result.canonicalRequest)\(result.stringToSign)\(result.authorization)\(Self.credentials)"
        #expect(!printed.contains("wJalrXUtnFEMI"))
    }
}

@Suite("AWSTimestamp")
struct AWSTimestampTests {
    @Test("parses the ISO 8601 forms STS and container agents answer with")
    func parses() {
        #expect(AWSTimestamp(iso8601: "2015-08-30T12:36:00Z")?.secondsSince1970 == 1_440_938_160)
        #expect(AWSTimestamp(iso8601: "2015-08-30T12:36:00.123456Z")?.secondsSince1970 == 1_440_938_160)
        #expect(AWSTimestamp(iso8601: "2015-08-30T14:36:00+02:00")?.secondsSince1970 == 1_440_938_160)
        #expect(AWSTimestamp(iso8601: "2015-08-30") == nil)
        #expect(AWSTimestamp(iso8601: "2015-13-30T12:36:00Z") == nil)
    }

    @Test("formats dates across leap years and centuries the way the calendar does")
    func roundTrips() {
        for text in ["1970-01-01T00:00:00Z", "2000-02-29T23:59:59Z", "2100-03-01T00:00:00Z", "2024-12-31T12:00:00Z"] {
            #expect(AWSTimestamp(iso8601: text)?.iso8601 == text)
        }
    }
}
