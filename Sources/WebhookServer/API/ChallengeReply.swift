import DNS01

/// The answer to a ChallengePayload: the request echoed, and a `response` that is always
/// present (cert-manager dereferences it unchecked) with a non-empty `status.message` on
/// failure (cert-manager treats `success:false` with an empty message as success).
struct ChallengeReply: Encodable, Sendable {
    struct Result: Encodable, Sendable {
        var metadata: [String: String] = [:]
        var status = "Failure"
        var message: String
    }

    struct Outcome: Encodable, Sendable {
        var uid: String
        var success: Bool
        var status: Result?
    }

    var apiVersion = "webhook.acme.cert-manager.io/v1alpha1"
    var kind = "ChallengePayload"
    var request: ConfigValue
    var response: Outcome

    static func success(echo: ConfigValue, uid: String) -> ChallengeReply {
        ChallengeReply(request: echo, response: Outcome(uid: uid, success: true, status: nil))
    }

    static func failure(echo: ConfigValue, uid: String, message: String) -> ChallengeReply {
        let text = message.isEmpty ? "the challenge failed without a message" : message
        return ChallengeReply(request: echo, response: Outcome(uid: uid, success: false, status: Result(message: text)))
    }
}
