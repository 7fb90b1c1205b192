import DNS01
import Foundation
import NIOCore
import Testing
import TestSupport
@testable import ChallengeAPI

@Suite("ChallengePayload decoding")
struct ChallengePayloadTests {
    private func decode(_ text: String) throws -> ChallengePayload {
        try ChallengePayload.decode(ByteBuffer(string: text))
    }

    @Test("cert-manager's payload without apiVersion, kind or uid decodes")
    func certManagerPayload() throws {
        let payload = try decode(#"{"request": {"uid": "", "action": "Present", "type": "dns-01", "dnsName": "example.com", "key": "abc", "resourceNamespace": "cert-manager", "resolvedFQDN": "_acme-challenge.example.com.", "resolvedZone": "example.com.", "allowAmbientCredentials": true, "config": {"memory": {}}}}"#)
        #expect(payload.challenge.action == .present)
        #expect(payload.challenge.resolvedFQDN.fqdn == "_acme-challenge.example.com.")
        #expect(payload.challenge.resolvedZone?.name == "example.com")
        #expect(payload.challenge.allowAmbientCredentials)
        #expect(payload.challenge.config == ["memory": .object([:])])
    }

    @Test("unknown fields, any apiVersion/kind and a lower-case action are accepted")
    func lenient() throws {
        let payload = try decode(#"{"apiVersion": "acme.webhook.certmanager.k8s.io/v1alpha1", "kind": "Whatever", "extra": 1, "request": {"action": "cleanup", "dnsName": "Example.COM", "key": "abc", "resourceNamespace": "ns", "futureField": {"a": 1}}}"#)
        #expect(payload.challenge.action == .cleanUp)
        #expect(payload.challenge.dnsName.name == "example.com")
        // resolvedFQDN absent: the conventional record name is derived.
        #expect(payload.challenge.resolvedFQDN.fqdn == "_acme-challenge.example.com.")
    }

    @Test("the request is echoed as received, unknown fields included")
    func echo() throws {
        let payload = try decode(#"{"request": {"uid": "u-1", "action": "Present", "dnsName": "example.com", "key": "abc", "resourceNamespace": "ns", "futureField": "kept"}}"#)
        #expect(payload.echo["futureField"] == "kept")
        #expect(payload.echo["uid"] == "u-1")
        #expect(payload.challenge.uid == "u-1")
    }

    @Test("the reply echoes the request's bytes exactly: key order, spacing and number spelling")
    func echoesBytesExactly() throws {
        let request = #"{ "zeta": 1.50, "uid": "u-2", "action": "Present", "dnsName": "example.com", "key": "k\u00e9", "resourceNamespace": "ns" }"#
        let payload = try decode(#"{"apiVersion": "v", "request": "# + request + "}")
        let reply = String(decoding: ChallengeReply.success(echo: payload.echo, echoBytes: payload.echoBytes, uid: payload.challenge.uid).jsonBytes(), as: UTF8.self)
        #expect(reply.contains(#""request":"# + request + #","response":"#))
        let json = try JSONSerialization.jsonObject(with: Data(reply.utf8)) as? [String: Any]
        #expect((json?["request"] as? [String: Any])?["key"] as? String == "ké")
    }

    @Test("a failure reply always has a response with a non-empty message")
    func failureReplyHasMessage() throws {
        let reply = ChallengeReply.failure(echo: ["uid": ""], uid: "", message: "")
        let json = try JSONSerialization.jsonObject(with: Data(reply.jsonBytes())) as? [String: Any]
        let response = try #require(json?["response"] as? [String: Any])
        #expect(response["success"] as? Bool == false)
        let message = (response["status"] as? [String: Any])?["message"] as? String
        #expect(message?.isEmpty == false)
        #expect(json?["kind"] as? String == "ChallengePayload")
    }

    @Test("a success reply has response.success true and the uid", arguments: ["", "abc"])
    func successReply(uid: String) throws {
        let json = try JSONSerialization.jsonObject(with: Data(ChallengeReply.success(echo: [:], uid: uid).jsonBytes())) as? [String: Any]
        let response = try #require(json?["response"] as? [String: Any])
        #expect(response["success"] as? Bool == true)
        #expect(response["uid"] as? String == uid)
        #expect(response["status"] == nil)
    }

    @Test("the written reply is JSON that echoes strings with quotes, escapes and non-ASCII intact")
    func writtenReplyRoundTrips() throws {
        let echo: ConfigValue = ["key": "a\"b\\c\n\u{1}é✓", "n": .number(1.5), "i": 42, "ok": true, "none": nil, "list": [false, "x"]]
        let bytes = ChallengeReply.failure(echo: echo, uid: "u\"1", message: "zone \"x\" not found").jsonBytes()
        let json = try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
        let request = try #require(json["request"] as? [String: Any])
        #expect(request["key"] as? String == "a\"b\\c\n\u{1}é✓")
        #expect(request["n"] as? Double == 1.5)
        #expect(request["i"] as? Int == 42)
        #expect(request["none"] is NSNull)
        #expect(try ConfigValue(json: Array(try JSONSerialization.data(withJSONObject: request))) == echo)
        let response = try #require(json["response"] as? [String: Any])
        #expect(response["uid"] as? String == "u\"1")
        #expect((response["status"] as? [String: Any])?["message"] as? String == "zone \"x\" not found")
    }

    @Test("every malformed payload is refused with a message", arguments: MalformedPayloads.catalogue.map(\.name))
    func malformed(name: String) throws {
        let body = try #require(MalformedPayloads.catalogue.first { $0.name == name }?.body)
        #expect {
            _ = try decode(body)
        } throws: { error in
            guard let error = error as? PayloadError else { return false }
            return !error.message.isEmpty
        }
    }

    @Test("the catalogue of malformed payloads has at least 30 entries with distinct names")
    func catalogueSize() {
        #expect(MalformedPayloads.catalogue.count >= 30)
        #expect(Set(MalformedPayloads.catalogue.map(\.name)).count == MalformedPayloads.catalogue.count)
    }

    @Test("messages name the field that is wrong")
    func messagesNameFields() throws {
        #expect(throws: PayloadError.self) { try decode(#"{"request": {"action": "Present", "dnsName": "example.com", "key": "k", "resourceNamespace": "ns", "allowAmbientCredentials": "yes"}}"#) }
        do {
            _ = try decode(#"{"request": {"action": "Present", "dnsName": "example.com", "key": "k", "resourceNamespace": "ns", "allowAmbientCredentials": "yes"}}"#)
        } catch let error as PayloadError {
            #expect(error.message.contains("request.allowAmbientCredentials"))
        }
        do {
            _ = try decode(#"{}"#)
        } catch let error as PayloadError {
            #expect(error.message == "payload request field cannot be empty")
        }
    }
}
