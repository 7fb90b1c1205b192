import Foundation
import OVHProvider
import TestSupport
import Testing

@Suite("OVH $1$ signature")
struct OVHSignatureTests {
    let signer = OVHSignature(applicationSecret: "EXAMPLEsecret", consumerKey: "EXAMPLEconsumer")

    @Test("reproduces the reference's POST vector (record creation)")
    func postVector() {
        let body = Array(#"{"fieldType":"TXT","subDomain":"_acme-challenge","target":"abc","ttl":60}"#.utf8)
        #expect(
            signer.signature(method: "POST", url: "https://eu.api.ovh.com/1.0/domain/zone/example.com/record", body: body, timestamp: 1_700_000_000)
                == "$1$88d060fbc974ac7925873b14089855921b83d173")
    }

    @Test("reproduces the reference's GET vector (query string signed, empty body)")
    func getVector() {
        #expect(
            signer.signature(method: "GET", url: "https://eu.api.ovh.com/1.0/domain/zone/example.com/record?fieldType=TXT&subDomain=_acme-challenge", body: [], timestamp: 1_700_000_000)
                == "$1$a6e673fd7a69795a64f87ea97552c06a6651ce54")
    }

    @Test("signs AS+CK+METHOD+URL+BODY+TS joined by +, the method upper-cased")
    func stringToSign() {
        let text = String(decoding: signer.stringToSign(method: "delete", url: "https://x/1.0/a", body: [], timestamp: 42), as: UTF8.self)
        #expect(text == "EXAMPLEsecret+EXAMPLEconsumer+DELETE+https://x/1.0/a++42")
        let headers = signer.headers(applicationKey: "AK", method: "GET", url: "https://x/1.0/a", body: [], timestamp: 42)
        #expect(headers.map(\.name) == ["X-Ovh-Application", "X-Ovh-Consumer", "X-Ovh-Timestamp", "X-Ovh-Signature"])
        #expect(headers.map(\.value).prefix(3) == ["AK", "EXAMPLEconsumer", "42"])
    }
}

/// The signer against python-ovh's `Client.raw_call` (Tests/Peers/ovh_signature_oracle.py), over
/// generated requests with awkward keys, paths, queries and bodies.
@Suite("OVH $1$ signature against the official ovh SDK")
struct OVHSignatureDifferentialTests {
    static let alphabet: [String] = [
        "a", "Z", "0", "9", "-", "_", ".", "~", " ", "*", "+", "/", "=", "&", "%", "?", "#", ":", "@", "!", "'", "(", ")",
        ",", ";", "$", "[", "]", "\"", "<", ">", "\\", "^", "`", "{", "|", "}", "é", "ü", "ß", "中", "😀", "e\u{301}", "\t",
    ]

    static func text(_ random: inout SplitMix64, maxLength: Int, from alphabet: [String] = alphabet) -> String {
        (0..<Int.random(in: 0...maxLength, using: &random)).map { _ in alphabet.randomElement(using: &random)! }.joined()
    }

    /// A JSON value for a body: objects of strings, numbers, booleans, nulls and lists.
    static func jsonValue(_ random: inout SplitMix64, depth: Int = 0) -> Any {
        switch Int.random(in: 0..<(depth > 1 ? 4 : 6), using: &random) {
        case 0: return text(&random, maxLength: 12)
        case 1: return Int.random(in: -1000...100_000, using: &random)
        case 2: return Bool.random(using: &random)
        case 3: return NSNull()
        case 4: return (0..<Int.random(in: 0...3, using: &random)).map { _ in jsonValue(&random, depth: depth + 1) }
        default:
            var object: [String: Any] = [:]
            for _ in 0..<Int.random(in: 1...4, using: &random) { object[text(&random, maxLength: 8)] = jsonValue(&random, depth: depth + 1) }
            return object
        }
    }

    @Test("agrees with python-ovh on 400 generated requests: URL, body and signature")
    func agreesWithOfficialSDK() async throws {
        var random = SplitMix64(seed: 20_231_114)
        let endpoints = Array(OVHEndpoint.named.values.map(\.api)).sorted() + ["http://127.0.0.1:8080/1.0", "https://api.example.test/1.0"]
        let safe = (Array("abcdefghijklmnopqrstuvwxyz0123456789-_.").map(String.init))
        var inputs: [[String: Any]] = []
        for index in 0..<400 {
            var path = "/domain/zone/" + Self.text(&random, maxLength: 10, from: safe) + "/record"
            if Bool.random(using: &random) { path += "/\(random.next() % 100_000)" }
            if index % 3 == 0 {
                // A query as the SDK's callers write it into the path (already encoded).
                let pairs = (0..<Int.random(in: 1...3, using: &random)).map { _ in
                    Self.text(&random, maxLength: 6, from: safe) + "=" + PercentEncodingForTests.encode(Self.text(&random, maxLength: 8))
                }
                path += "?" + pairs.joined(separator: "&")
            }
            let method = ["GET", "POST", "PUT", "DELETE"].randomElement(using: &random)!
            var item: [String: Any] = [
                "endpoint": endpoints.randomElement(using: &random)!,
                "applicationKey": "ak" + Self.text(&random, maxLength: 6, from: safe),
                // Never empty: the SDK refuses to sign with an empty secret or consumer key.
                "applicationSecret": "s" + Self.text(&random, maxLength: 32),
                "consumerKey": "c" + Self.text(&random, maxLength: 32),
                "method": method,
                "path": path,
                "timestamp": Int64(random.next() % 4_000_000_000),
            ]
            item["data"] = (method == "POST" || method == "PUT") && index % 5 != 0 ? Self.jsonValue(&random, depth: 1) : NSNull()
            inputs.append(item)
        }
        let directory = try makeTemporaryDirectory("ovh-oracle")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let input = "\(directory)/in.jsonl"
        try (inputs.map { String(decoding: try JSONSerialization.data(withJSONObject: $0), as: UTF8.self) }.joined(separator: "\n") + "\n")
            .write(toFile: input, atomically: true, encoding: .utf8)
        let result = try await runCommand("/bin/sh", ["-c", "exec \"$0\" Tests/Peers/ovh_signature_oracle.py < \"$1\"", python, input])
        try #require(result.status == 0, "oracle failed: \(result.stderr)")
        let answers = result.stdout.split(separator: "\n")
        try #require(answers.count == inputs.count)
        var compared = 0
        for (item, line) in zip(inputs, answers) {
            let answer = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            try #require(answer["error"] == nil, "oracle error: \(answer["error"] ?? "")")
            let url = try #require(answer["url"] as? String)
            let body = try #require(answer["body"] as? String)
            let headers = try #require(answer["headers"] as? [String: String])
            #expect(url == (item["endpoint"] as! String) + (item["path"] as! String))
            let signer = OVHSignature(applicationSecret: item["applicationSecret"] as! String, consumerKey: item["consumerKey"] as! String)
            let timestamp = item["timestamp"] as! Int64
            let ours = signer.headers(applicationKey: item["applicationKey"] as! String, method: item["method"] as! String, url: url, body: Array(body.utf8), timestamp: timestamp)
            for header in ours {
                #expect(headers[header.name] == header.value, "\(header.name) for \(item)")
            }
            compared += 1
        }
        #expect(compared == 400)
    }
}

/// RFC 3986 encoding for generated query values (the SDK's callers pass encoded queries).
enum PercentEncodingForTests {
    static func encode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~")) ?? ""
    }
}
