import DNS01
import NIOCore

/// The answer to a ChallengePayload: the request echoed, and a `response` that is always
/// present (cert-manager dereferences it unchecked) with a non-empty `status.message` on
/// failure (cert-manager treats `success:false` with an empty message as success).
struct ChallengeReply: Sendable {
    struct Result: Sendable {
        var status = "Failure"
        var message: String
    }

    struct Outcome: Sendable {
        var uid: String
        var success: Bool
        var status: Result?
    }

    var apiVersion = "webhook.acme.cert-manager.io/v1alpha1"
    var kind = "ChallengePayload"
    var request: ConfigValue
    /// The request's bytes as received; echoed instead of re-writing `request` when present.
    var requestBytes: ByteBuffer?
    var response: Outcome

    static func success(echo: ConfigValue, echoBytes: ByteBuffer? = nil, uid: String) -> ChallengeReply {
        ChallengeReply(request: echo, requestBytes: echoBytes, response: Outcome(uid: uid, success: true, status: nil))
    }

    /// The reply as JSON, written directly (the envelope in a fixed order).
    func jsonBytes() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(512)
        out += Array(#"{"apiVersion":"\#(apiVersion)","kind":"\#(kind)","request":"#.utf8)
        if let requestBytes {
            out.append(contentsOf: requestBytes.readableBytesView)
        } else {
            request.writeJSON(into: &out)
        }
        out += Array(#","response":{"uid":"#.utf8)
        JSONText.write(string: response.uid, into: &out)
        out += Array(#","success":\#(response.success)"#.utf8)
        if let status = response.status {
            out += Array(#","status":{"metadata":{},"status":"\#(status.status)","message":"#.utf8)
            JSONText.write(string: status.message, into: &out)
            out.append(UInt8(ascii: "}"))
        }
        out += Array("}}".utf8)
        return out
    }

    static func failure(echo: ConfigValue, echoBytes: ByteBuffer? = nil, uid: String, message: String) -> ChallengeReply {
        let text = message.isEmpty ? "the challenge failed without a message" : message
        return ChallengeReply(request: echo, requestBytes: echoBytes, response: Outcome(uid: uid, success: false, status: Result(message: text)))
    }
}
