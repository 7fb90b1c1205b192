import CloudDNSProvider
import Foundation
import TestSupport
import Testing

/// The JWT the provider signs, against google-auth (Tests/Peers/google_jwt_oracle.py): for the
/// same key and signing input, google-auth's `RSASigner` must produce the same signature byte
/// for byte (RS256 is deterministic), and google-auth's `jwt.decode` must verify our JWT and
/// read the claims we meant.
@Suite("service-account JWT: RS256 signatures equal google-auth's")
struct ServiceAccountJWTTests {
    static func newKey(bits: Int) async throws -> [String: Any] {
        let result = try await runCommand(python, ["Tests/Peers/google_jwt_oracle.py", "--new-key", "signer-\(bits)@test-project.iam.gserviceaccount.com", String(bits)])
        guard result.status == 0 else { throw PeerError("oracle failed: \(result.stderr)") }
        return try #require(GoogleKeyJSON.object(result.stdout))
    }

    static func runOracle(_ lines: [String]) async throws -> [[String: Any]] {
        let directory = try makeTemporaryDirectory("jwt-oracle")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let input = "\(directory)/in.jsonl"
        try (lines.joined(separator: "\n") + "\n").write(toFile: input, atomically: true, encoding: .utf8)
        let result = try await runCommand("/bin/sh", ["-c", "exec \"$0\" Tests/Peers/google_jwt_oracle.py < \"$1\"", python, input])
        guard result.status == 0 else { throw PeerError("oracle failed: \(result.stderr)") }
        return result.stdout.split(separator: "\n").map { GoogleKeyJSON.object(String($0)) ?? [:] }
    }

    @Test("signatures equal google-auth's for keys of 2048, 3072 and 4096 bits and varied claims")
    func signaturesEqualGoogleAuth() async throws {
        var keys: [[String: Any]] = []
        for bits in [2048, 3072, 4096] { keys.append(try await Self.newKey(bits: bits)) }
        var cases: [(jwt: ServiceAccountJWT, input: String, assertion: String, key: [String: Any], scopes: [String], audience: String, issuedAt: Int64)] = []
        for key in keys {
            let email = try #require(key["client_email"] as? String)
            for (index, keyID) in [key["private_key_id"] as? String, nil].enumerated() {
                let jwt = try ServiceAccountJWT(issuer: email, keyID: keyID, privateKeyPEM: try #require(key["private_key"] as? String))
                let scopes = index == 0 ? ["https://www.googleapis.com/auth/ndev.clouddns.readwrite"] : ["https://www.googleapis.com/auth/cloud-platform", "openid"]
                let audience = index == 0 ? "https://oauth2.googleapis.com/token" : "http://127.0.0.1:8080/token"
                // google-auth's decode checks the times against its clock: recent ones.
                let now = Int64(Date().timeIntervalSince1970)
                for issuedAt: Int64 in [now - 5, now - 600 - Int64(index)] {
                    let input = jwt.signingInput(scopes: scopes, audience: audience, issuedAt: issuedAt)
                    cases.append((jwt, input, try jwt.assertion(scopes: scopes, audience: audience, issuedAt: issuedAt), key, scopes, audience, issuedAt))
                }
            }
        }
        let lines = try cases.map { item in
            String(decoding: try JSONSerialization.data(withJSONObject: ["key": item.key, "signingInput": item.input, "jwt": item.assertion, "audience": item.audience]), as: UTF8.self)
        }
        let answers = try await Self.runOracle(lines)
        try #require(answers.count == cases.count)
        for (item, answer) in zip(cases, answers) {
            try #require(answer["error"] == nil, "oracle error: \(answer["error"] ?? "")")
            let ours = ServiceAccountJWT.base64URL(try item.jwt.signature(of: item.input))
            #expect(ours == answer["signature"] as? String)
            #expect(item.assertion == item.input + "." + ours)
            let claims = try #require(answer["claims"] as? [String: Any])
            #expect(claims["iss"] as? String == item.jwt.issuer)
            #expect(claims["scope"] as? String == item.scopes.joined(separator: " "))
            #expect(claims["aud"] as? String == item.audience)
            #expect((claims["iat"] as? NSNumber)?.int64Value == item.issuedAt)
            #expect((claims["exp"] as? NSNumber)?.int64Value == item.issuedAt + 3600)
            let header = try #require(answer["header"] as? [String: Any])
            #expect(header["alg"] as? String == "RS256" && header["typ"] as? String == "JWT")
            #expect(header["kid"] as? String == item.jwt.keyID)
        }
    }

    @Test("the signing input is compact JSON in Go's claim order, base64url without padding")
    func signingInputShape() async throws {
        let key = try await Self.newKey(bits: 2048)
        let jwt = try ServiceAccountJWT(issuer: "a\"b@example.iam.gserviceaccount.com", keyID: "k1", privateKeyPEM: try #require(key["private_key"] as? String))
        let parts = jwt.signingInput(scopes: ["s1", "s2"], audience: "https://oauth2.googleapis.com/token", issuedAt: 1_700_000_000).split(separator: ".")
        try #require(parts.count == 2)
        func decoded(_ part: Substring) -> String {
            var text = part.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
            while text.count % 4 != 0 { text += "=" }
            return String(decoding: Data(base64Encoded: text) ?? Data(), as: UTF8.self)
        }
        #expect(decoded(parts[0]) == #"{"alg":"RS256","typ":"JWT","kid":"k1"}"#)
        #expect(decoded(parts[1]) == #"{"iss":"a\"b@example.iam.gserviceaccount.com","scope":"s1 s2","aud":"https://oauth2.googleapis.com/token","exp":1700003600,"iat":1700000000}"#)
        #expect(!parts.joined().contains("=") && !parts.joined().contains("+") && !parts.joined().contains("/"))
    }
}
