import DNS01
import Kubernetes
import NIOCore
import NIOFoundationCompat

/// cert-manager's `ChallengePayload` request, decoded leniently: `apiVersion`/`kind` may be
/// missing or anything (cert-manager sends neither), unknown fields are ignored, `uid` may be
/// empty. What is really wrong (not JSON, no `request`, an unknown action, a bad name) is a
/// `PayloadError` whose message names the field. `package` for the fuzz target
/// (Tests/Fuzz/fuzz-payload).
package struct ChallengePayload: Sendable {
    /// The `request` object as received.
    var echo: ConfigValue
    /// The `request` object's bytes exactly as received, which the reply echoes.
    var echoBytes: ByteBuffer?
    var challenge: Challenge

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
            throw PayloadError("payload request field cannot be empty")
        }
        guard case .object(let fields) = request else {
            throw PayloadError("request must be an object, got \(request.kindName)")
        }
        let reader = FieldReader(fields: fields)
        let action = try reader.action()
        let uid = try reader.optionalString("uid") ?? ""
        if let type = try reader.optionalString("type"), !type.isEmpty, type != "dns-01" {
            throw PayloadError("request.type \"\(type)\" is not supported; this webhook solves \"dns-01\" challenges")
        }
        let dnsName = try reader.domainName("dnsName")
        let key = try reader.requiredString("key")
        let namespace = try reader.requiredString("resourceNamespace")
        guard KubernetesName.isValidLabel(namespace) else {
            throw PayloadError("request.resourceNamespace \"\(namespace)\" is not a valid Kubernetes namespace name")
        }
        // cert-manager always sends resolvedFQDN; derive the conventional name when it is absent.
        let fqdn: DomainName
        if let given = try reader.optionalDomainName("resolvedFQDN") {
            fqdn = given
        } else {
            fqdn = try recordName(for: dnsName)
        }
        let zone = try reader.optionalDomainName("resolvedZone")
        let ambient = try reader.optionalBool("allowAmbientCredentials") ?? false
        let config = fields["config"]
        if let config, config != .null, config.objectValue == nil {
            throw PayloadError("request.config must be an object (the Issuer's webhook config), got \(config.kindName)")
        }
        let challenge = Challenge(
            action: action,
            uid: uid,
            dnsName: dnsName,
            resolvedFQDN: fqdn,
            resolvedZone: zone,
            key: key,
            resourceNamespace: namespace,
            allowAmbientCredentials: ambient,
            config: config == .null ? nil : config
        )
        do {
            try challenge.validate()
        } catch {
            throw PayloadError("invalid challenge: \(error.message)")
        }
        let echoBytes = members["request"].flatMap { body.getSlice(at: body.readerIndex + $0.lowerBound, length: $0.count) }
        return ChallengePayload(echo: request, echoBytes: echoBytes, challenge: challenge)
    }

    private static func recordName(for domain: DomainName) throws(PayloadError) -> DomainName {
        do {
            return try Challenge.recordName(for: domain)
        } catch {
            throw PayloadError("request.dnsName: \(error.message)")
        }
    }
}

/// A malformed ChallengePayload: answered with 400 and this message.
package struct PayloadError: Error, Sendable {
    let message: String
    init(_ message: String) { self.message = message }
}

/// Reads `request.*` fields with messages that name the field and what was found.
private struct FieldReader {
    let fields: [String: ConfigValue]

    func action() throws(PayloadError) -> Challenge.Action {
        let text = try requiredString("action")
        // The ChallengeAction doc comment says 'present'/'cleanup'; accept any case.
        guard let action = Challenge.Action.allCases.first(where: { $0.rawValue.lowercased() == text.lowercased() }) else {
            throw PayloadError("unknown action type \"\(text)\" (request.action must be \"Present\" or \"CleanUp\")")
        }
        return action
    }

    func optionalString(_ name: String) throws(PayloadError) -> String? {
        switch fields[name] {
        case nil, .null?: return nil
        case .string(let text)?: return text
        case let other?: throw PayloadError("request.\(name) must be a string, got \(other.kindName)")
        }
    }

    func requiredString(_ name: String) throws(PayloadError) -> String {
        guard let text = try optionalString(name), !text.isEmpty else {
            throw PayloadError("request.\(name) is required")
        }
        return text
    }

    func optionalBool(_ name: String) throws(PayloadError) -> Bool? {
        switch fields[name] {
        case nil, .null?: return nil
        case .bool(let value)?: return value
        case let other?: throw PayloadError("request.\(name) must be a boolean, got \(other.kindName)")
        }
    }

    func domainName(_ name: String) throws(PayloadError) -> DomainName {
        let text = try requiredString(name)
        return try parse(text, name)
    }

    func optionalDomainName(_ name: String) throws(PayloadError) -> DomainName? {
        guard let text = try optionalString(name), !text.isEmpty else { return nil }
        return try parse(text, name)
    }

    private func parse(_ text: String, _ name: String) throws(PayloadError) -> DomainName {
        let domain: DomainName
        do {
            domain = try DomainName(text)
        } catch {
            throw PayloadError("request.\(name): \(error.message)")
        }
        guard !domain.isRoot else { throw PayloadError("request.\(name) must not be the root name") }
        return domain
    }
}
