import Foundation
import ProviderKit
import TestSupport
import Testing

@testable import HuaweiCloudProvider

/// The signer against huaweicloudsdkcore's own `Signer` (through `BasicCredentials.sign_request`,
/// which adds the project and token headers), via Tests/Peers/huaweicloud_signature_oracle.py,
/// over generated requests with awkward paths, queries, headers and bodies.
@Suite("SDK-HMAC-SHA256 against the official SDK")
struct SDKHMACSignatureDifferentialTests {
    static let alphabet: [String] = [
        "a", "Z", "0", "9", "-", "_", ".", "~", " ", "*", "+", "/", "=", "&", "%", "?", "#", ":", "@", "!", "'",
        "(", ")", ",", ";", "$", "[", "]", "\"", "<", ">", "\\", "^", "`", "{", "|", "}",
        "é", "ü", "ß", "中", "文", "😀", "🇨🇳", "e\u{301}", "%20", "%2F",
    ]
    /// Header values: printable ASCII and spaces (an HTTP header carries nothing else).
    static let headerAlphabet: [String] = (0x20...0x7E).map { String(UnicodeScalar(UInt8($0))) }
    static let lower = (UInt8(ascii: "a")...UInt8(ascii: "z")).map { String(UnicodeScalar($0)) } + ["0", "7", "-"]

    static func text(_ random: inout SplitMix64, maxLength: Int, from alphabet: [String] = alphabet) -> String {
        (0..<Int.random(in: 0...maxLength, using: &random)).map { _ in alphabet.randomElement(using: &random)! }.joined()
    }

    struct Case {
        var ak: String
        var sk: String
        var token: String?
        var projectId: String?
        var method: String
        var host: String
        var segments: [String]
        var query: [(String, String)]
        var headers: [(String, String)]
        var body: String
        var sdkDate: String
    }

    static func cases(count: Int) -> [Case] {
        var random = SplitMix64(seed: 20_191_115)
        return (0..<count).map { _ in
            let method = ["GET", "POST", "PUT", "DELETE"].randomElement(using: &random)!
            var host = ["dns.cn-north-4.myhuaweicloud.com", "dns.ap-southeast-1.myhuaweicloud.com", "127.0.0.1"].randomElement(using: &random)!
            if Bool.random(using: &random) { host += ":\(Int.random(in: 1...65_535, using: &random))" }
            var headers: [(String, String)] = [("Content-Type", ["application/json", "application/json;charset=UTF-8", "application/bson"].randomElement(using: &random)!)]
            for _ in 0..<Int.random(in: 0...3, using: &random) {
                let name = ["User-Agent", "X-Custom-" + text(&random, maxLength: 5, from: lower), "X_Underscored", "Accept"].randomElement(using: &random)!
                guard !headers.contains(where: { $0.0.lowercased() == name.lowercased() }) else { continue }
                headers.append((name, text(&random, maxLength: 20, from: headerAlphabet)))
            }
            return Case(
                ak: "HPUA" + text(&random, maxLength: 16, from: lower).uppercased(),
                sk: text(&random, maxLength: 40) + "s",
                token: Int.random(in: 0..<4, using: &random) == 0 ? text(&random, maxLength: 60, from: headerAlphabet).trimmingCharacters(in: .whitespaces) + "x" : nil,
                projectId: Bool.random(using: &random) ? text(&random, maxLength: 32, from: lower) + "p" : nil,
                method: method,
                host: host,
                segments: ["v2", "zones"] + (0..<Int.random(in: 0...3, using: &random)).map { _ in text(&random, maxLength: 10) },
                query: (0..<Int.random(in: 0...5, using: &random)).map { _ in (text(&random, maxLength: 6) + "k", text(&random, maxLength: 12)) },
                headers: headers,
                body: method == "POST" || method == "PUT" ? "{\"records\":[\"\\\"" + text(&random, maxLength: 50) + "\\\"\"],\"ttl\":\(random.next() % 100_000)}" : "",
                sdkDate: SDKDate.string(fromEpochSeconds: Int64(random.next() % 4_102_444_800))
            )
        }
    }

    @Test("agrees with huaweicloudsdkcore on 500 generated requests: canonical request, string to sign and Authorization")
    func agreesWithOfficialSDK() async throws {
        let cases = Self.cases(count: 500)
        var signatures: [SDKHMACSigner.Signature] = []
        var lines: [String] = []
        for item in cases {
            let path = "/" + item.segments.map { PercentEncoding.rfc3986($0) }.joined(separator: "/")
            let query = item.query.map { PercentEncoding.rfc3986($0.0) + "=" + PercentEncoding.rfc3986($0.1) }.joined(separator: "&")
            var headers = item.headers.map { APIRequest.Header($0.0, $0.1) }
            if let projectId = item.projectId { headers.append(.init("X-Project-Id", projectId)) }
            let request = APIRequest(method: item.method, url: "https://\(item.host)\(path)" + (query.isEmpty ? "" : "?\(query)"), headers: headers, body: Array(item.body.utf8))
            signatures.append(SDKHMACSigner(accessKey: item.ak, secretKey: item.sk, securityToken: item.token).sign(request, sdkDate: item.sdkDate))
            var object: [String: Any] = [
                "ak": item.ak, "sk": item.sk, "method": item.method, "host": item.host, "path": path,
                "query": item.query.map { [$0.0, $0.1] }, "headers": item.headers.map { [$0.0, $0.1] }, "body": item.body, "sdkDate": item.sdkDate,
            ]
            object["securityToken"] = item.token
            object["projectId"] = item.projectId
            lines.append(String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self))
        }
        let answers = try await Self.runOracle(lines)
        try #require(answers.count == cases.count)
        for ((item, ours), answer) in zip(zip(cases, signatures), answers) {
            try #require(answer["error"] == nil, "oracle error: \(answer["error"] ?? "")")
            #expect(ours.canonicalRequest == answer["canonicalRequest"] as? String, "case: \(item)")
            #expect(ours.stringToSign == answer["stringToSign"] as? String, "case: \(item)")
            #expect(ours.authorization == answer["authorization"] as? String, "case: \(item)")
        }
    }

    static func runOracle(_ lines: [String]) async throws -> [[String: Any]] {
        let directory = try makeTemporaryDirectory("huawei-oracle")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let input = "\(directory)/in.jsonl"
        try (lines.joined(separator: "\n") + "\n").write(toFile: input, atomically: true, encoding: .utf8)
        let result = try await runCommand("/bin/sh", ["-c", "exec \"$0\" Tests/Peers/huaweicloud_signature_oracle.py < \"$1\"", python, input])
        guard result.status == 0 else { throw PeerError("oracle failed: \(result.stderr)") }
        return try result.stdout.split(separator: "\n").map { line in
            try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] ?? [:]
        }
    }
}
