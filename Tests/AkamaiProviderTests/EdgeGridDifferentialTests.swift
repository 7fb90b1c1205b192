import Foundation
import ProviderKit
import TestSupport
import Testing

@testable import AkamaiProvider

/// The signer against Akamai's official one (edgegrid-python's `EdgeGridAuthHeaders`, through
/// Tests/Peers/edgegrid_signature_oracle.py) over generated requests with awkward parts:
/// every method, http and https, ports, `;params`, queries and fragments, signed headers with
/// runs of (Unicode) whitespace, bodies around `max_body`, non-ASCII secrets.
@Suite("EdgeGrid EG1-HMAC-SHA256 against edgegrid-python")
struct EdgeGridDifferentialTests {
    static let pathCharacters = Array("abcXYZ019-._~!$&'()*+,=:@%2F%20;")
    static let queryCharacters = Array("abcXYZ019-._~!$'()*+,;=:@/?%26%3D ")
    static let valueCharacters: [String] = ["a", "Z", "9", " ", "  ", "\t", "\u{A0}", "\u{2003}", "\u{1C}", "\u{85}", "\"", ";", "=", "é", "中", "😀", ","]
    static let secretCharacters: [String] = ["x", "Y", "0", "+", "/", "=", "é", "ß", "中", " ", ";", "\\", "\""]

    static func pick<T>(_ items: [T], _ random: inout SplitMix64) -> T { items[Int(random.next() % UInt64(items.count))] }
    static func text<T: CustomStringConvertible>(_ items: [T], _ random: inout SplitMix64, _ range: ClosedRange<Int>) -> String {
        (0..<Int.random(in: range, using: &random)).map { _ in pick(items, &random).description }.joined()
    }

    struct Case {
        var method: String
        var url: String
        var headers: [APIRequest.Header]
        var body: [UInt8]
        var clientToken: String
        var clientSecret: String
        var accessToken: String
        var headersToSign: [String]
        var maxBody: Int
        var timestamp: String
        var nonce: String
    }

    static func cases(count: Int) -> [Case] {
        var random = SplitMix64(seed: 20_140_321)
        return (0..<count).map { _ in
            let scheme = pick(["https", "http", "HTTPS"], &random)
            let host = pick(["akab-abc-def.luna.akamaiapis.net", "127.0.0.1:8080", "localhost:1", "Example.COM", "akaa-baseurl-xxxxxxxxxxx-xxxxxxxxxxxxx.luna.akamaiapis.net"], &random)
            var path = ""
            for _ in 0..<Int.random(in: 0...4, using: &random) { path += "/" + text(pathCharacters, &random, 0...8) }
            if path.isEmpty || Bool.random(using: &random) { path += "/" }
            var url = "\(scheme)://\(host)\(path)"
            switch random.next() % 4 {
            case 0: url += "?" + text(queryCharacters, &random, 0...20)
            case 1: url += "?"
            case 2: url += "?a=1&b=" + text(queryCharacters, &random, 1...6) + "#" + text(queryCharacters, &random, 0...4)
            default: break
            }
            let names = ["X-Test1", "X-Test2", "x-test3", "Content-Type", "X-Extra", "Host"]
            var headers: [APIRequest.Header] = []
            for name in names where random.next() % 3 == 0 {
                let value = name == "Host" ? pick(["api.example", "akab-x.luna.akamaiapis.net:443"], &random) : text(valueCharacters, &random, 0...12)
                headers.append(.init(name, value))
            }
            var toSign = ["X-Test1", "x-test2", "X-TEST3", "Content-Type", "X-Missing"].filter { _ in Bool.random(using: &random) }
            toSign.shuffle(using: &random)
            let maxBody = pick([131_072, 64, 2048, 1], &random)
            let bodyLength = pick([0, 1, 10, 63, 64, 65, 300, 2049], &random)
            let body = (0..<bodyLength).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            return Case(
                method: pick(["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "post"], &random),
                url: url, headers: headers, body: body,
                clientToken: "akab-" + text(Array("abcdefghijklmnop0123456789-"), &random, 1...32),
                clientSecret: text(secretCharacters, &random, 0...44),
                accessToken: "akab-" + text(Array("abcdefghijklmnop0123456789-"), &random, 1...32),
                headersToSign: toSign, maxBody: maxBody,
                timestamp: EdgeGridTimestamp.string(fromEpochSeconds: Int64(random.next() % 4_000_000_000)),
                nonce: UUID().uuidString.lowercased()
            )
        }
    }

    @Test("agrees with edgegrid-python on 500 generated requests: authorization, data to sign, signing key, content hash")
    func agreesWithOfficialSigner() async throws {
        let cases = Self.cases(count: 500)
        let directory = try makeTemporaryDirectory("edgegrid-oracle")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let input = "\(directory)/in.jsonl"
        var lines: [String] = []
        for item in cases {
            let object: [String: Any] = [
                "method": item.method, "url": item.url, "headers": item.headers.map { [$0.name, $0.value] },
                "bodyBase64": Data(item.body).base64EncodedString(), "clientToken": item.clientToken,
                "clientSecret": item.clientSecret, "accessToken": item.accessToken, "headersToSign": item.headersToSign,
                "maxBody": item.maxBody, "timestamp": item.timestamp, "nonce": item.nonce,
            ]
            lines.append(String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self))
        }
        try (lines.joined(separator: "\n") + "\n").write(toFile: input, atomically: true, encoding: .utf8)
        let result = try await runCommand("/bin/sh", ["-c", "exec \"$0\" Tests/Peers/edgegrid_signature_oracle.py < \"$1\"", python, input])
        try #require(result.status == 0, "oracle failed (is edgegrid-python installed? Tests/Peers/requirements-builtin.txt): \(result.stderr)")
        let answers = result.stdout.split(separator: "\n")
        try #require(answers.count == cases.count)

        var compared = 0
        for (item, line) in zip(cases, answers) {
            let answer = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            try #require(answer["error"] == nil, "oracle error: \(answer["error"] ?? "") for \(item.url)")
            let signer = EdgeGridSigner(clientToken: item.clientToken, clientSecret: item.clientSecret, accessToken: item.accessToken, headersToSign: item.headersToSign, maxBody: item.maxBody)
            let ours = signer.signature(method: item.method, url: item.url, headers: item.headers, body: item.body, timestamp: item.timestamp, nonce: item.nonce)
            #expect(ours.dataToSign == answer["dataToSign"] as? String, "url: \(item.url) headers: \(item.headers)")
            #expect(ours.authorization == answer["authorization"] as? String, "url: \(item.url)")
            #expect(signer.signingKey(timestamp: item.timestamp) == answer["signingKey"] as? String)
            #expect(ours.contentHash == answer["contentHash"] as? String, "method \(item.method), \(item.body.count) bytes, max \(item.maxBody)")
            compared += 1
        }
        #expect(compared == 500)
    }
}
