import Foundation
import ProviderKit
import TestSupport
import Testing

@testable import DNSPodProvider

/// The signer against tencentcloud-sdk-python-common's own signer, through
/// Tests/Peers/tc3_signature_oracle.py, over generated requests with awkward text.
@Suite("TC3-HMAC-SHA256 against the official SDK")
struct TC3SignatureDifferentialTests {
    /// Characters that trip hashing and encoding: ASCII punctuation, JSON escapes, multi-byte
    /// UTF-8 (Latin, CJK, emoji outside the BMP), a combining accent, control characters.
    static let alphabet: [String] = [
        "a", "Z", "0", "9", "-", "_", ".", "~", " ", "*", "+", "/", "=", "&", "%", "?", "#", ":", "@", "!", "'",
        "(", ")", ",", ";", "$", "[", "]", "\"", "<", ">", "\\", "^", "`", "{", "|", "}",
        "é", "ü", "ß", "默", "认", "中", "😀", "🇨🇳", "e\u{301}", "\t", "\n", "\\u9ed8",
    ]

    static func text(_ random: inout SplitMix64, maxLength: Int, from alphabet: [String] = alphabet) -> String {
        (0..<Int.random(in: 0...maxLength, using: &random)).map { _ in alphabet.randomElement(using: &random)! }.joined()
    }

    struct Case {
        var secretId: String
        var secretKey: String
        var service: String
        var timestamp: Int64
        var method: String
        var host: String
        var contentType: String
        var query: String
        var body: String
    }

    static func cases(count: Int) -> [Case] {
        var random = SplitMix64(seed: 20_190_225)
        let lower = (UInt8(ascii: "a")...UInt8(ascii: "z")).map { String(UnicodeScalar($0)) } + ["0", "1", "9", "-"]
        return (0..<count).map { index in
            let method = index.isMultiple(of: 4) ? "GET" : "POST"
            var host = ["dnspod.tencentcloudapi.com", "sts.tencentcloudapi.com", "dnspod.intl.tencentcloudapi.com", "127.0.0.1"].randomElement(using: &random)!
            if Bool.random(using: &random) { host = text(&random, maxLength: 12, from: lower) + "." + host }
            if Bool.random(using: &random) { host += ":\(Int.random(in: 1...65_535, using: &random))" }
            let query =
                method == "GET"
                ? (0..<Int.random(in: 0...4, using: &random)).map { _ in
                    PercentEncoding.rfc3986(text(&random, maxLength: 6)) + "=" + PercentEncoding.rfc3986(text(&random, maxLength: 12))
                }.joined(separator: "&")
                : ""
            return Case(
                secretId: "AKID" + text(&random, maxLength: 20, from: lower),
                secretKey: text(&random, maxLength: 40),
                service: ["dnspod", "sts", "cvm"].randomElement(using: &random)!,
                timestamp: Int64(random.next() % 4_102_444_800),
                method: method,
                host: host,
                contentType: method == "GET" ? "application/x-www-form-urlencoded" : ["application/json", "application/json; charset=utf-8", "multipart/form-data; boundary=x1"].randomElement(using: &random)!,
                query: query,
                body: method == "GET" ? "" : "{\"Value\": \"" + text(&random, maxLength: 60) + "\", \"TTL\": \(random.next() % 100_000)}"
            )
        }
    }

    @Test("agrees with AbstractClient._get_tc3_signature and Sign.sign_tc3 on 500 generated requests")
    func agreesWithOfficialSDK() async throws {
        let cases = Self.cases(count: 500)
        var signatures: [TC3Signer.Signature] = []
        var lines: [String] = []
        for item in cases {
            let request = APIRequest(
                method: item.method,
                url: "https://\(item.host)/" + (item.query.isEmpty ? "" : "?\(item.query)"),
                headers: [.init("Content-Type", item.contentType), .init("Host", item.host)],
                body: Array(item.body.utf8)
            )
            let signed = TC3Signer(secretId: item.secretId, secretKey: item.secretKey, service: item.service).sign(request, timestamp: item.timestamp)
            signatures.append(signed)
            let object: [String: Any] = [
                "secretId": item.secretId, "secretKey": item.secretKey, "service": item.service, "timestamp": item.timestamp,
                "method": item.method, "host": item.host, "contentType": item.contentType, "query": item.query, "body": item.body,
                "stringToSign": signed.stringToSign,
            ]
            lines.append(String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self))
        }
        let answers = try await Self.runOracle(lines)
        try #require(answers.count == cases.count)
        for ((item, ours), answer) in zip(zip(cases, signatures), answers) {
            try #require(answer["error"] == nil, "oracle error: \(answer["error"] ?? "")")
            #expect(ours.signature == answer["signature"] as? String, "case: \(item)")
            #expect(ours.authorization == answer["authorization"] as? String, "case: \(item)")
            #expect(ours.signature == answer["chainSignature"] as? String, "case: \(item)")
        }
    }

    static func runOracle(_ lines: [String]) async throws -> [[String: Any]] {
        let directory = try makeTemporaryDirectory("tc3-oracle")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let input = "\(directory)/in.jsonl"
        try (lines.joined(separator: "\n") + "\n").write(toFile: input, atomically: true, encoding: .utf8)
        let result = try await runCommand("/bin/sh", ["-c", "exec \"$0\" Tests/Peers/tc3_signature_oracle.py < \"$1\"", python, input])
        guard result.status == 0 else { throw PeerError("oracle failed: \(result.stderr)") }
        return try result.stdout.split(separator: "\n").map { line in
            try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] ?? [:]
        }
    }
}
