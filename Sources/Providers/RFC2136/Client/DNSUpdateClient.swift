import DNS01
import DNSClient
import DNSWire
import Foundation
import ProviderKit

/// Talks to one authoritative server: finds the zone of a name, sends (signed) UPDATEs and
/// checks their answers, reads TXT values. Every failure becomes a `DNS01Error` naming the
/// server, the zone and what to check.
struct DNSUpdateClient: Sendable {
    let exchange: DNSExchange
    /// As configured, for messages.
    let nameserver: String
    let signer: TSIGSigner?
    let transport: RFC2136Configuration.TransportProtocol
    /// Seconds since the epoch; injectable for tests of clock skew.
    var now: @Sendable () -> UInt64 = { UInt64(Date().timeIntervalSince1970) }

    /// Applies `updates` to `zone` in one UPDATE message.
    func update(zone: String, _ updates: [ResourceRecord]) async throws {
        let message = DNSMessage.update(id: UInt16.random(in: .min ... .max), zone: zone, updates: updates)
        try await ProviderRequests.measure("UPDATE") {
            let answer = try await send(message, what: "UPDATE of zone \(zone)")
            let code = answer.flags.responseCode
            guard code == .noError else {
                throw DNS01Error(code == .serverFailure ? .providerUnavailable : .providerRejected, "rfc2136: nameserver \(nameserver) answered \(code) to the UPDATE of zone \(zone)\(Self.hint(for: code, signed: signer != nil))")
            }
        }
    }

    /// The zone holding `fqdn`, as the server itself sees it: the owner of the SOA record in its
    /// answer to an SOA query for `fqdn`. Falls back to `hint` (cert-manager's resolvedZone)
    /// when the server does not say.
    func zone(of fqdn: String, hint: String?) async throws -> String {
        let query = DNSMessage.query(id: UInt16.random(in: .min ... .max), name: fqdn, type: .soa, recursionDesired: false)
        let answer = try await ProviderRequests.measure("SOA query") { try await send(query, what: "SOA query for \(DNSName.canonical(fqdn))", signed: false) }
        var found: String?
        if answer.flags.responseCode == .noError || answer.flags.responseCode == .nameError {
            found = (answer.answers + answer.authorities).first { $0.type == .soa }?.name
        }
        if let found { return found }
        if let hint, !DNSName.canonical(hint).isEmpty { return DNSName.canonical(hint) }
        throw DNS01Error(.zoneNotFound, "rfc2136: nameserver \(nameserver) is not authoritative for any zone holding \(DNSName.canonical(fqdn)) (no SOA in its answer)")
    }

    /// The TXT values at `fqdn` as the server answers a plain query.
    func txtValues(at fqdn: String) async throws -> [String] {
        do {
            return try await exchange.txtLookup(fqdn).values
        } catch {
            throw DNS01Error(.providerUnavailable, "rfc2136: TXT query for \(DNSName.canonical(fqdn)) at \(nameserver) failed: \(PlainErrorText.describe(error))")
        }
    }

    /// Signs (when a key is configured and `signed`), sends over the configured transport,
    /// and verifies the answer's signature.
    private func send(_ message: DNSMessage, what: String, signed: Bool = true) async throws -> DNSMessage {
        let encoded = try message.encoded()
        let request = try signed ? signer.map { try $0.sign(encoded, at: now()) } : nil
        let bytes = request?.bytes ?? encoded
        var answer: [UInt8]
        do {
            switch transport {
            case .tcp:
                answer = try await exchange.exchangeTCP(bytes)
            case .udp:
                answer = try await exchange.exchangeUDP(bytes)
                if answer[2] & 0x02 != 0 { answer = try await exchange.exchangeTCP(bytes) }  // TC: ask again over TCP
            }
        } catch {
            throw DNS01Error(.providerUnavailable, "rfc2136: \(what) to \(nameserver) over \(transport.rawValue) failed: \(PlainErrorText.describe(error))")
        }
        if let signer, let request {
            do {
                try signer.verify(answer, requestMAC: request.mac, at: now())
            } catch {
                throw Self.signatureError(error, key: signer.key, nameserver: nameserver, what: what)
            }
        }
        do {
            return try DNSMessage.decode(answer)
        } catch {
            throw DNS01Error(.providerUnavailable, "rfc2136: malformed answer from \(nameserver) to the \(what): \(PlainErrorText.describe(error))")
        }
    }

    private static func signatureError(_ error: TSIGVerificationError, key: TSIGKey, nameserver: String, what: String) -> DNS01Error {
        switch error.kind {
        case .rejectedByServer(let tsigError):
            return DNS01Error(.providerRejected, "rfc2136: nameserver \(nameserver) refused the TSIG key \"\(key.name)\" (\(key.algorithm)) for the \(what): \(tsigError); check tsigKeyName, tsigAlgorithm and the secret")
        case .unsigned:
            return DNS01Error(.providerRejected, "rfc2136: nameserver \(nameserver) sent an unsigned answer to the signed \(what); is TSIG key \"\(key.name)\" configured there?")
        default:
            return DNS01Error(.providerRejected, "rfc2136: the answer from \(nameserver) to the \(what) failed TSIG verification: \(error.message)")
        }
    }

    private static func hint(for code: ResponseCode, signed: Bool) -> String {
        let keyHint = signed ? "this TSIG key may not update the zone" : "the server requires a TSIG key (set tsigKeyName and tsigSecretSecretRef)"
        switch code {
        case .refused: return " (\(keyHint))"
        case .notAuthoritative: return " (the server is not authoritative for the zone, or \(keyHint))"
        case .notZone: return " (the name is outside the zone)"
        default: return ""
        }
    }
}
