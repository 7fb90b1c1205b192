import Foundation
import ProviderKit
import TestSupport
import Testing

@testable import AkamaiProvider

/// The EdgeGrid signer against the test vectors Akamai publishes with edgegrid-python
/// (`akamai/edgegrid/test/testdata.json`, `testcases.json`), written out here so they hold
/// without any Python installed; `publishedFilesAgree` also runs the files themselves.
@Suite("EdgeGrid EG1-HMAC-SHA256: published vectors")
struct EdgeGridVectorTests {
    static let host = "akaa-baseurl-xxxxxxxxxxx-xxxxxxxxxxxxx.luna.akamaiapis.net"
    static let timestamp = "20140321T19:34:21+0000"
    static let nonce = "nonce-xx-xxxx-xxxx-xxxx-xxxxxxxxxxxx"
    static let unsigned = "EG1-HMAC-SHA256 client_token=akab-client-token-xxx-xxxxxxxxxxxxxxxx;access_token=akab-access-token-xxx-xxxxxxxxxxxxxxxx;timestamp=20140321T19:34:21+0000;nonce=nonce-xx-xxxx-xxxx-xxxx-xxxxxxxxxxxx;"

    static func signer(maxBody: Int = 2048, headersToSign: [String] = ["X-Test1", "X-Test2", "X-Test3"]) -> EdgeGridSigner {
        EdgeGridSigner(
            clientToken: "akab-client-token-xxx-xxxxxxxxxxxxxxxx", clientSecret: String(repeating: "x", count: 43) + "=",
            accessToken: "akab-access-token-xxx-xxxxxxxxxxxxxxxx", headersToSign: headersToSign, maxBody: maxBody
        )
    }

    struct Vector: Sendable, CustomTestStringConvertible {
        var name: String
        var method: String
        var target: String
        var body: String = ""
        var headers: [(String, String)] = []
        var contentHash: String = ""
        var signature: String
        var testDescription: String { name }
    }

    static let vectors: [Vector] = [
        Vector(name: "simple GET", method: "GET", target: "/", signature: "tL+y4hxyHxgWVD30X3pWnGKHcPzmrIF+LThiAOhMxYU="),
        Vector(name: "GET with querystring", method: "GET", target: "/testapi/v1/t1?p1=1&p2=2", signature: "hKDH1UlnQySSHjvIcZpDMbQHihTQ0XyVAKZaApabdeA="),
        Vector(
            name: "POST inside limit", method: "POST", target: "/testapi/v1/t3", body: String(repeating: "data", count: 8),
            contentHash: "fDimoYqXOLntG3If/Z0K2aS9I19Pkv9P5OMCoL8lY0w=", signature: "hXm4iCxtpN22m4cbZb4lVLW5rhX8Ca82vCFqXzSTPe4="),
        Vector(
            name: "POST too large", method: "POST", target: "/testapi/v1/t3", body: String(repeating: "d", count: 2049),
            contentHash: "iysZKJ78BqF0NvDrpv9Hc3pJBWC5f5apR4qUK/Qfo5k=", signature: "6Q6PiTipLae6n4GsSIDTCJ54bEbHUBp+4MUXrbQCBoY="),
        Vector(
            name: "POST length equals max_body", method: "POST", target: "/testapi/v1/t3", body: String(repeating: "d", count: 2048),
            contentHash: "iysZKJ78BqF0NvDrpv9Hc3pJBWC5f5apR4qUK/Qfo5k=", signature: "6Q6PiTipLae6n4GsSIDTCJ54bEbHUBp+4MUXrbQCBoY="),
        Vector(name: "POST empty body", method: "POST", target: "/testapi/v1/t6", signature: "1gEDxeQGD5GovIkJJGcBaKnZ+VaPtrc4qBUHixjsPCQ="),
        Vector(
            name: "Simple header signing with GET", method: "GET", target: "/testapi/v1/t4", headers: [("X-Test1", "test-simple-header")],
            signature: "8F9AybcRw+PLxnvT+H0JRkjROrrUgsxJTnRXMzqvcwY="),
        Vector(
            name: "Header containing spaces", method: "GET", target: "/testapi/v1/t4", headers: [("X-Test1", "\"     test-header-with-spaces     \"")],
            signature: "ucq2AbjCNtobHfCTuS38fdkl5UDdWHZhQX46fYR8CqI="),
        // requests refuses this header before signing; the vector's signature is what the
        // algorithm gives, which a signer without that check computes.
        Vector(
            name: "Header with leading and interior spaces", method: "GET", target: "/testapi/v1/t4", headers: [("X-Test1", "     first-thing      second-thing")],
            signature: "WtnneL539UadAAOJwnsXvPqT4Kt6z7HMgBEwAFpt3+c="),
        Vector(
            name: "Headers out of order", method: "GET", target: "/testapi/v1/t4", headers: [("X-Test2", "t2"), ("X-Test1", "t1"), ("X-Test3", "t3")],
            signature: "Wus73Nx8jOYM+kkBFF2q8D1EATRIMr0WLWwpLBgkBqY="),
        Vector(
            name: "Extra header", method: "GET", target: "/testapi/v1/t5", headers: [("X-Test2", "t2"), ("X-Test1", "t1"), ("X-Test3", "t3"), ("X-Extra", "this won't be included")],
            signature: "Knd/jc0A5Ghhizjayr0AUUvl2MZjBpS3FDSzvtq4Ixc="),
        Vector(name: "PUT test", method: "PUT", target: "/testapi/v1/t6", body: String(repeating: "P", count: 31), signature: "GNBWEYSEWOLtu+7dD52da2C39aX/Jchpon3K/AmBqBU="),
        Vector(name: "PATCH test", method: "PATCH", target: "/testapi/v1/t6", body: String(repeating: "P", count: 31), signature: "JIl05ImY1AOnMtmw+9LKgaFA8mnzsEKabbnHmI8LsQ4="),
        Vector(name: "GET with query params", method: "GET", target: "/testapi/v1/configs/111?from=12345&limit=200000", signature: "XM+hsuSs6nuy/5eDRty1IjtVCAdr8xPFRAZ/b8RXDm8="),
        Vector(
            name: "GET with query params and separator in path", method: "GET", target: "/testapi/v1/configs/111;222;333?from=12345&limit=200000",
            signature: "pmQF7Is2+O4r/mMojPR4yeF58BrempNNoBX5/DT0Fxs="),
    ]

    @Test("signs every published vector exactly", arguments: vectors)
    func vector(_ vector: Vector) {
        let signature = Self.signer().signature(
            method: vector.method, url: "https://\(Self.host)\(vector.target)",
            headers: vector.headers.map { APIRequest.Header($0.0, $0.1) }, body: Array(vector.body.utf8),
            timestamp: Self.timestamp, nonce: Self.nonce
        )
        #expect(signature.contentHash == vector.contentHash)
        #expect(signature.signature == vector.signature)
        #expect(signature.authorization == Self.unsigned + "signature=" + vector.signature)
        #expect(signature.dataToSign.hasSuffix("\t" + Self.unsigned))
    }

    @Test("the signing key and content hash of testdata.json")
    func signingKeyAndContentHash() {
        #expect(Self.signer().signingKey(timestamp: Self.timestamp) == "znsRMDBRqTXGJ7Ojip3/h2FGPu3LuoMYWgv9PKEnE/o=")
        #expect(Self.signer().contentHash(method: "POST", body: Array("test_body".utf8)) == "REPGqEEubBHzJMhwqDZtbt515/ntEvAMNriNR53zcdY=")
        #expect(Self.signer().contentHash(method: "PUT", body: Array("test_body".utf8)) == "")
    }

    @Test("the JSON POST of test_json: query from params, body `{\"key\": \"value\"}`, default max_body, no signed headers")
    func jsonVector() {
        let signer = EdgeGridSigner(clientToken: "akab-client-token-xxx-xxxxxxxxxxxxxxxx", clientSecret: String(repeating: "x", count: 43) + "=", accessToken: "akab-access-token-xxx-xxxxxxxxxxxxxxxx")
        let request = APIRequest(method: "POST", url: "https://\(Self.host)/testapi/v1/t3?extended=true", headers: [.init("Content-Type", "application/json")], body: Array(#"{"key": "value"}"#.utf8))
        let (signed, signature) = signer.sign(request, timestamp: Self.timestamp, nonce: Self.nonce)
        #expect(signature.contentHash == "lyTB4g5uPk1/V+0l+dTvsAblCFkNUoyQ2ll/andcE+U=")
        #expect(signed.header("Authorization") == Self.unsigned + "signature=nONuDe50qGrPius4Rg4D2jfi/2zDZWAYRUG6RudJLNM=")
    }

    @Test("the data to sign has the published shape: method, scheme, host, target, headers, hash, unsigned header")
    func dataToSign() {
        let signature = Self.signer().signature(method: "GET", url: "https://\(Self.host)/testapi/v1/t1?p1=1&p2=2", headers: [], body: [], timestamp: Self.timestamp, nonce: Self.nonce)
        #expect(signature.dataToSign == "GET\thttps\t\(Self.host)\t/testapi/v1/t1?p1=1&p2=2\t\t\t\(Self.unsigned)")
    }

    @Test("an http URL is signed as http, and the Host header wins over the URL's authority")
    func schemeAndHost() {
        let plain = Self.signer().signature(method: "GET", url: "http://127.0.0.1:8080/x", headers: [], body: [], timestamp: Self.timestamp, nonce: Self.nonce)
        #expect(plain.dataToSign.hasPrefix("GET\thttp\t127.0.0.1:8080\t/x\t"))
        let hosted = Self.signer().signature(method: "GET", url: "http://127.0.0.1:8080/x", headers: [.init("Host", "api.example")], body: [], timestamp: Self.timestamp, nonce: Self.nonce)
        #expect(hosted.dataToSign.hasPrefix("GET\thttp\tapi.example\t/x\t"))
    }

    @Test("signing again replaces the previous Authorization header")
    func resign() {
        let request = APIRequest(method: "GET", url: "https://\(Self.host)/")
        let once = Self.signer().sign(request, timestamp: Self.timestamp, nonce: "n1").request
        let twice = Self.signer().sign(once, timestamp: Self.timestamp, nonce: Self.nonce).request
        #expect(twice.headers.filter { $0.name == "Authorization" }.count == 1)
        #expect(twice.header("Authorization")?.hasSuffix("signature=tL+y4hxyHxgWVD30X3pWnGKHcPzmrIF+LThiAOhMxYU=") == true)
    }

    @Test("timestamps are yyyyMMddTHH:mm:ss+0000 in UTC")
    func timestamps() {
        #expect(EdgeGridTimestamp.string(fromEpochSeconds: 1_395_430_461) == "20140321T19:34:21+0000")
        #expect(EdgeGridTimestamp.string(fromEpochSeconds: 0) == "19700101T00:00:00+0000")
        #expect(EdgeGridTimestamp.string(fromEpochSeconds: 4_102_444_799) == "20991231T23:59:59+0000")
    }

    @Test("the vector files shipped with edgegrid-python agree with the signer, case by case")
    func publishedFilesAgree() async throws {
        let result = try await runCommand(python, ["Tests/Peers/edgegrid_signature_oracle.py", "--vectors"])
        try #require(result.status == 0, "edgegrid-python is not installed (Tests/Peers/requirements-builtin.txt): \(result.stderr)")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let data = try #require(document["testdata"] as? [String: Any])
        let cases = try #require(document["testcases"] as? [[String: Any]])
        let signer = EdgeGridSigner(
            clientToken: try #require(data["client_token"] as? String), clientSecret: try #require(data["client_secret"] as? String),
            accessToken: try #require(data["access_token"] as? String), headersToSign: try #require(data["headers_to_sign"] as? [String]),
            maxBody: try #require(data["max_body"] as? Int)
        )
        let base = try #require(data["base_url"] as? String).dropLast()
        var compared = 0
        for item in cases {
            let request = try #require(item["request"] as? [String: Any])
            let headers = (request["headers"] as? [[String: String]] ?? []).flatMap { $0.map { APIRequest.Header($0.key, $0.value) } }
            let signature = signer.signature(
                method: try #require(request["method"] as? String), url: base + (try #require(request["path"] as? String)),
                headers: headers, body: Array((request["data"] as? String ?? "").utf8),
                timestamp: try #require(data["timestamp"] as? String), nonce: try #require(data["nonce"] as? String)
            )
            let expected = try #require(item["expectedAuthorization"] as? String)
            #expect(signature.authorization == expected, "\(item["testName"] ?? "")")
            if let published = item["expectedDataToSign"] as? String {
                // The files' data to sign leaves the unsigned header out of the last field.
                #expect(signature.dataToSign == published + signature.unsignedAuthorization, "\(item["testName"] ?? "")")
            }
            compared += 1
        }
        #expect(compared == 15)
    }
}
