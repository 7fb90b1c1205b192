import DNS01
import Foundation
import ProviderKit
import Route53Provider
import TestSupport
import Testing

/// botocore's SigV4 signer (Tests/Peers/sigv4_oracle.py) and ours sign the same few hundred
/// generated requests; every canonical request and Authorization header must agree.
@Suite("SigV4 signer agrees with botocore")
struct SigV4DifferentialTests {
    @Test("on 400 generated requests: reserved and non-ASCII characters in paths and queries, dot and empty segments, bodies, session tokens, repeated and untrimmed headers")
    func agreesWithBotocore() throws {
        let oracle = try LineOracle(python, ["\(repositoryRoot)/Tests/Peers/sigv4_oracle.py"])
        defer { oracle.stop() }
        var generator = SplitMix64(seed: 0x5eed_51a4)
        var compared = 0
        for index in 0..<400 {
            let generated = GeneratedRequest.random(using: &generator)
            let answer = try oracle.ask(generated.oracleInput(id: index))
            try #require(answer["error"] == nil, "oracle refused case \(index): \(answer["error"] ?? "")")
            let ours = generated.signer.sign(generated.request, at: generated.time)
            #expect(ours.canonicalRequest == answer["canonicalRequest"] as? String, "case \(index): \(generated.request.url)")
            #expect(ours.authorization == answer["authorization"] as? String, "case \(index): \(generated.request.url)")
            compared += 1
        }
        #expect(compared == 400)
    }
}

/// One generated request, in our form and in the oracle's.
struct GeneratedRequest {
    var signer: SigV4Signer
    var request: APIRequest
    var time: AWSTimestamp
    var scheme: String
    var host: String
    var wirePath: String
    var query: [(String, String?)]
    var headers: [(String, String)]

    static let pathAlphabet = Array("abcXYZ019-_.~!$&'()*+,;=:@ é/%?#ü")
    static let queryAlphabet = Array("abcXYZ019-_.~ !$&'()*+,;=:@/?#%[]é😀+")

    static func random(using generator: inout SplitMix64) -> GeneratedRequest {
        func pick<T>(_ items: [T]) -> T { items[Int(generator.next() % UInt64(items.count))] }
        func chance(_ percent: UInt64) -> Bool { generator.next() % 100 < percent }
        func text(_ alphabet: [Character], maxLength: Int) -> String {
            String((0..<Int(generator.next() % UInt64(maxLength + 1))).map { _ in pick(alphabet) })
        }
        let scheme = pick(["https", "http"])
        let host = pick(["route53.amazonaws.com", "sts.eu-west-1.amazonaws.com", "127.0.0.1:5000", "Example.COM", "example.com:443", "localhost:80"])
        // Path segments: raw text percent-encoded once for the wire, plus dot and empty segments.
        var segments: [String] = []
        for _ in 0..<Int(generator.next() % 5) {
            switch generator.next() % 6 {
            case 0: segments.append(".")
            case 1: segments.append("..")
            case 2: segments.append("")
            default: segments.append(PercentEncoding.rfc3986(text(pathAlphabet, maxLength: 8)))
            }
        }
        var wirePath = "/" + segments.joined(separator: "/")
        if chance(20) { wirePath += "/" }
        if chance(15) { wirePath = pick(["/2013-04-01/hostedzonesbyname", "/2013-04-01/hostedzone/Z1D633PJN98FT9/rrset", "/"]) }
        var query: [(String, String?)] = []
        for _ in 0..<Int(generator.next() % 5) {
            query.append((text(queryAlphabet, maxLength: 6), chance(15) ? nil : text(queryAlphabet, maxLength: 10)))
        }
        var headers: [(String, String)] = []
        if chance(40) { headers.append(("Content-Type", pick(["application/x-www-form-urlencoded; charset=utf-8", "text/xml"]))) }
        if chance(30) { headers.append(("X-Amz-Meta-Note", pick(["  spaced   out\tvalue ", "a", "b  c"]))) }
        if chance(15) { headers.append(("X-Amz-Meta-Note", "second")) }
        if chance(20) { headers.append(("User-Agent", "dns01-webhook/test")) }
        let body: [UInt8] = chance(50) ? (0..<Int(generator.next() % 300)).map { _ in UInt8(truncatingIfNeeded: generator.next()) } : []
        let method = pick(["GET", "POST", "PUT", "DELETE"])
        let token = chance(30) ? SecretValue("FQoGZXIvYXdzEBYaD\(generator.next())") : nil
        let credentials = AWSCredentials(accessKeyID: pick(["AKIDEXAMPLE", "ASIAXYZ"]), secretAccessKey: SecretValue("secret/\(generator.next())+key"), sessionToken: token)
        let signer = SigV4Signer(credentials: credentials, region: pick(["us-east-1", "eu-west-1", "cn-northwest-1"]), service: pick(["route53", "sts", "service"]))
        let time = AWSTimestamp(secondsSince1970: 1_400_000_000 + Int64(generator.next() % 400_000_000))
        let wireQuery = query.map { $0.1 == nil ? PercentEncoding.rfc3986($0.0) : PercentEncoding.rfc3986($0.0) + "=" + PercentEncoding.rfc3986($0.1!) }.joined(separator: "&")
        let url = "\(scheme)://\(host)\(wirePath)" + (wireQuery.isEmpty ? "" : "?\(wireQuery)")
        let request = APIRequest(method: method, url: url, headers: headers.map { APIRequest.Header($0.0, $0.1) }, body: body)
        return GeneratedRequest(signer: signer, request: request, time: time, scheme: scheme, host: host, wirePath: wirePath, query: query, headers: headers)
    }

    func oracleInput(id: Int) -> [String: Any] {
        [
            "id": id, "method": request.method, "scheme": scheme, "host": host, "path": wirePath,
            "query": query.map { [$0.0, $0.1 as Any? ?? NSNull()] },
            "headers": headers.map { [$0.0, $0.1] },
            "body_b64": Data(request.body).base64EncodedString(),
            "accessKeyId": signer.credentials.accessKeyID, "secretAccessKey": signer.credentials.secretAccessKey.text,
            "sessionToken": signer.credentials.sessionToken?.text as Any? ?? NSNull(),
            "region": signer.region, "service": signer.service, "amzDate": time.amzDate,
        ]
    }
}

/// A peer that answers one JSON line per JSON line on stdin (the SigV4 oracle).
final class LineOracle: @unchecked Sendable {
    // @unchecked: used from one test at a time; the pipes are set once.
    private let process = Process()
    private let input = Pipe()
    private let output = Pipe()
    private var buffer = Data()

    init(_ executable: String, _ arguments: [String]) throws {
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [executable] + arguments
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.standardError
        try process.run()
    }

    func ask(_ object: [String: Any]) throws -> [String: Any] {
        var line = try JSONSerialization.data(withJSONObject: object)
        line.append(UInt8(ascii: "\n"))
        input.fileHandleForWriting.write(line)
        while true {
            if let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                let answer = buffer[buffer.startIndex..<newline]
                buffer = Data(buffer[buffer.index(after: newline)...])
                return try JSONSerialization.jsonObject(with: answer) as? [String: Any] ?? [:]
            }
            let chunk = output.fileHandleForReading.availableData
            guard !chunk.isEmpty else { throw PeerError("the oracle exited") }
            buffer.append(chunk)
        }
    }

    func stop() {
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
    }
}
