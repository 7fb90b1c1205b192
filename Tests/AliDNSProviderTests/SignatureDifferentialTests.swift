import Foundation
import TestSupport
import Testing

@testable import AliDNSProvider

/// The signer against the official Python SDKs (aliyun-python-sdk-core and the Tea SDK), through
/// Tests/Peers/alidns_signature_oracle.py, over generated parameter sets with awkward text.
@Suite("RPC signature V1 against the official SDK")
struct SignatureDifferentialTests {
    /// Characters that trip encoders: reserved and unreserved ASCII, space, percent, plus,
    /// multi-byte UTF-8 (Latin, CJK, emoji outside the BMP), and a combining accent.
    static let alphabet: [String] = [
        "a", "Z", "0", "9", "-", "_", ".", "~", " ", "*", "+", "/", "=", "&", "%", "?", "#", ":", "@",
        "!", "'", "(", ")", ",", ";", "$", "[", "]", "\"", "<", ">", "\\", "^", "`", "{", "|", "}",
        "é", "ü", "ß", "中", "文", "日", "😀", "🇨🇳", "e\u{301}", "\t", "%20", "%2A", "%7E",
    ]

    static func text(_ random: inout SplitMix64, maxLength: Int) -> String {
        (0..<Int.random(in: 0...maxLength, using: &random)).map { _ in alphabet.randomElement(using: &random)! }.joined()
    }

    struct Case {
        var method: String
        var secret: String
        var parameters: [RPCParameter]
    }

    static func cases(count: Int) -> [Case] {
        var random = SplitMix64(seed: 20_160_223)
        return (0..<count).map { index in
            var parameters = [
                RPCParameter("Action", ["AddDomainRecord", "DescribeDomainRecords", "DeleteDomainRecord"].randomElement(using: &random)!),
                RPCParameter("Version", "2015-01-09"),
                RPCParameter("Format", "JSON"),
                RPCParameter("AccessKeyId", "LTAI" + text(&random, maxLength: 6)),
                RPCParameter("SignatureMethod", "HMAC-SHA1"),
                RPCParameter("SignatureVersion", "1.0"),
                RPCParameter("SignatureNonce", UUID().uuidString),
                RPCParameter("Timestamp", RPCTimestamp.string(fromEpochSeconds: Int64(random.next() % 4_000_000_000))),
            ]
            var used = Set(parameters.map(\.name))
            for _ in 0..<Int.random(in: 1...6, using: &random) {
                // Names: mostly API-like, sometimes awkward (never two canonically-equal names,
                // which Python would keep apart but a reader of the test could not tell apart).
                let name = Bool.random(using: &random) ? ["RR", "Value", "TTL", "Type", "Line", "DomainName", "RRKeyWord", "SecurityToken"].randomElement(using: &random)! : "X" + text(&random, maxLength: 5)
                guard !used.contains(where: { $0 == name }) else { continue }
                used.insert(name)
                parameters.append(RPCParameter(name, text(&random, maxLength: 24)))
            }
            parameters.shuffle(using: &random)
            return Case(method: index.isMultiple(of: 2) ? "GET" : "POST", secret: text(&random, maxLength: 30), parameters: parameters)
        }
    }

    @Test("agrees with aliyun-python-sdk-core and the Tea SDK on 400 generated requests, string to sign included")
    func agreesWithOfficialSDK() async throws {
        let cases = Self.cases(count: 400)
        let directory = try makeTemporaryDirectory("alidns-oracle")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let input = "\(directory)/in.jsonl"
        var lines: [String] = []
        for item in cases {
            var params: [String: String] = [:]
            for parameter in item.parameters { params[parameter.name] = parameter.value }
            let object: [String: Any] = ["method": item.method, "secret": item.secret, "params": params]
            lines.append(String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self))
        }
        try (lines.joined(separator: "\n") + "\n").write(toFile: input, atomically: true, encoding: .utf8)
        let result = try await runCommand("/bin/sh", ["-c", "exec \"$0\" Tests/Peers/alidns_signature_oracle.py < \"$1\"", python, input])
        try #require(result.status == 0, "oracle failed: \(result.stderr)")
        let answers = result.stdout.split(separator: "\n")
        try #require(answers.count == cases.count)

        var teaCompared = 0
        for (item, line) in zip(cases, answers) {
            let answer = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            try #require(answer["error"] == nil, "oracle error: \(answer["error"] ?? "")")
            let ours = RPCSignatureV1(accessKeyId: "unused", accessKeySecret: item.secret).signExactly(method: item.method, parameters: item.parameters)
            #expect(ours.stringToSign == answer["stringToSign"] as? String, "parameters: \(item.parameters)")
            #expect(ours.signature == answer["signature"] as? String, "parameters: \(item.parameters)")
            if let tea = answer["teaSignature"] as? String {
                #expect(ours.signature == tea)
                teaCompared += 1
            }
        }
        #expect(teaCompared == cases.count, "the Tea SDK (alibabacloud-tea-openapi) is not installed; see Tests/Peers/requirements-alidns.txt")
    }
}
