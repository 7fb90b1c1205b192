import ProviderKit
import Testing

@testable import AliDNSProvider

@Suite("AliDNS error bodies")
struct AliAPIErrorTests {
    @Test("reads Code, Message and RequestId from a JSON error body")
    func json() {
        let error = AliAPIError(
            action: "AddDomainRecord",
            response: APIResponse(
                status: 400,
                body: Array(
                    """
                    {"RequestId":"536E9CAD-DB30-4647-AC87-AA5CC38C5382","HostId":"alidns.aliyuncs.com","Code":"DomainRecordDuplicate","Message":"The domain record is duplicated.","Recommend":"https://api.aliyun.com/troubleshoot?q=DomainRecordDuplicate"}
                    """.utf8)))
        #expect(error.code == "DomainRecordDuplicate")
        #expect(error.message == "The domain record is duplicated.")
        #expect(error.requestId == "536E9CAD-DB30-4647-AC87-AA5CC38C5382")
        #expect(!error.isTransient)
    }

    @Test("reads an XML error body, which the service sends when it ignores Format=JSON")
    func xml() {
        let error = AliAPIError(
            action: "DescribeDomains",
            response: APIResponse(
                status: 400,
                body: Array(
                    """
                    <?xml version="1.0" encoding="UTF-8"?><Error><RequestId>R1</RequestId><HostId>alidns.aliyuncs.com</HostId><Code>Throttling.User</Code><Message>Request was denied due to user flow control.</Message></Error>
                    """.utf8)))
        #expect(error.code == "Throttling.User")
        #expect(error.requestId == "R1")
        #expect(error.isTransient)
    }

    @Test("a body from something else (a proxy's 502 page) still gives a retryable error named by status")
    func foreignBody() {
        let error = AliAPIError(action: "DescribeDomains", response: APIResponse(status: 502, body: Array("<html>Bad Gateway</html>".utf8)))
        #expect(error.code == "HTTP502")
        #expect(error.isTransient)
    }

    @Test("expired STS keys are recognised so they can be replaced", arguments: ["InvalidSecurityToken.Expired", "InvalidAccessKeyId.NotFound"])
    func expiredKeys(code: String) {
        #expect(AliAPIError(action: "DescribeDomains", httpStatus: 400, code: code, message: "", requestId: nil).meansTemporaryKeysExpired)
    }
}
