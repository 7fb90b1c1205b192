import DNS01
import Kubernetes
import NIOCore

/// cert-manager's `ChallengePayload` request, decoded leniently: `apiVersion`/`kind` may be
/// missing or anything (cert-manager sends neither), unknown fields are ignored, `uid` may be
/// empty. What is really wrong (not JSON, no `request`, an unknown action, a bad name) is a
/// `PayloadError` whose message names the field the way config errors do
/// (`request.resolvedFQDN is not a valid DNS name: …`): `request` is read with the SDK's
/// `ConfigReader`.
package struct ChallengePayload: Sendable {
    /// The `request` object as received.
    var echo: ConfigValue
    /// The `request` object's bytes exactly as received, which the reply echoes.
    var echoBytes: ByteBuffer?
    var challenge: Challenge

    /// Where `request` sits in the payload, for messages.
    private static let requestPath = ConfigPath.root.appending("request")

    package static func decode(_ body: ByteBuffer) throws(PayloadError) -> ChallengePayload {
        let document: ConfigValue
        let members: [String: Range<Int>]
        do {
            (document, members) = try ConfigValue.parseRecordingMembers(json: body.readableBytesView)
        } catch {
            throw PayloadError("the body is not valid JSON: \(error)")
        }
        guard case .object(let payload) = document else {
            throw PayloadError("a ChallengePayload must be a JSON object, got \(document.kindName)")
        }
        guard let request = payload["request"], request != .null else {
            // cert-manager's own wording for this case.
            throw PayloadError("payload request field cannot be empty")
        }
        let challenge: Challenge
        do {
            challenge = try readChallenge(request)
        } catch {
            throw PayloadError(error.message)
        }
        let echoBytes = members["request"].flatMap { body.getSlice(at: body.readerIndex + $0.lowerBound, length: $0.count) }
        return ChallengePayload(echo: request, echoBytes: echoBytes, challenge: challenge)
    }

    /// The challenge in `request`, with what the dispatcher would refuse anyway (an empty or
    /// multi-line key, a root name) refused here, as a 400 that names the field.
    private static func readChallenge(_ request: ConfigValue) throws(DNS01Error) -> Challenge {
        let path = requestPath
        var reader = try ConfigReader(request, at: path)
        let action = try readAction(&reader)
        let uid = try reader.optionalString("uid") ?? ""
        if let type = try reader.optionalString("type"), !type.isEmpty, type != "dns-01" {
            throw DNS01Error.invalidConfiguration(at: path.appending("type"), "must be \"dns-01\", got \"\(type)\" (this webhook solves DNS-01 challenges only)")
        }
        let dnsName = try reader.domainName("dnsName")
        let key = try reader.string("key")
        guard key.utf8.count <= 4096, !key.contains(where: { $0.isNewline }) else {
            throw DNS01Error.invalidConfiguration(at: path.appending("key"), "must be a single line of at most 4096 bytes")
        }
        let namespace = try reader.string("resourceNamespace")
        guard KubernetesName.isValidLabel(namespace) else {
            throw DNS01Error.invalidConfiguration(at: path.appending("resourceNamespace"), "must be a Kubernetes namespace name, got \"\(namespace)\"")
        }
        // cert-manager always sends resolvedFQDN; derive the conventional name when it is absent.
        let fqdn: DomainName
        if let given = try reader.optionalDomainName("resolvedFQDN") {
            fqdn = given
        } else {
            do {
                fqdn = try Challenge.recordName(for: dnsName)
            } catch {
                throw DNS01Error.invalidConfiguration(at: path.appending("dnsName"), "has no record name under it: \(error.message)")
            }
        }
        let zone = try reader.optionalDomainName("resolvedZone")
        let ambient = try reader.optionalBool("allowAmbientCredentials") ?? false
        let config = reader.optionalValue("config")
        if let config, config.objectValue == nil {
            throw DNS01Error.invalidConfiguration(at: path.appending("config"), "must be an object (the Issuer's webhook config), got \(config.kindName)")
        }
        return Challenge(
            action: action,
            uid: uid,
            dnsName: dnsName,
            resolvedFQDN: fqdn,
            resolvedZone: zone,
            key: key,
            resourceNamespace: namespace,
            allowAmbientCredentials: ambient,
            config: config
        )
    }

    /// `Present` or `CleanUp`, in any case (the ChallengeAction doc comment says
    /// 'present'/'cleanup').
    private static func readAction(_ reader: inout ConfigReader) throws(DNS01Error) -> Challenge.Action {
        let text = try reader.string("action")
        if let exact = Challenge.Action(rawValue: text) { return exact }
        let lowered = text.lowercased()
        guard let action = Challenge.Action.allCases.first(where: { $0.rawValue.lowercased() == lowered }) else {
            throw DNS01Error.invalidConfiguration(at: reader.path.appending("action"), "must be \"Present\" or \"CleanUp\", got \"\(text)\"")
        }
        return action
    }
}

/// A malformed ChallengePayload: answered with 400 and this message.
package struct PayloadError: Error, Sendable {
    let message: String
    init(_ message: String) { self.message = message }
}
