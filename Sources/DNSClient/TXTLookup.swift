import DNSWire

/// What a TXT query at one name found.
public enum TXTLookupResult: Sendable, Hashable {
    /// The name exists; these are its TXT values (character-strings joined), possibly none.
    case values([String])
    /// NXDOMAIN: the name does not exist.
    case nameDoesNotExist

    /// The values, treating NXDOMAIN as none.
    public var values: [String] {
        if case .values(let values) = self { return values }
        return []
    }
}

extension DNSExchange {
    /// Queries TXT at `name` (non-recursive by default, as one asks an authoritative server).
    /// Any response code other than NOERROR or NXDOMAIN is an error.
    public func txtLookup(_ name: String, recursionDesired: Bool = false) async throws -> TXTLookupResult {
        let query = DNSMessage.query(id: UInt16.random(in: .min ... .max), name: name, type: .txt, recursionDesired: recursionDesired)
        let answer = try await send(query)
        switch answer.flags.responseCode {
        case .noError:
            let canonical = DNSName.canonical(name)
            return .values(answer.answers.compactMap { $0.name == canonical ? $0.txtValue : nil })
        case .nameError:
            return .nameDoesNotExist
        default:
            throw DNSClientError("\(serverName) answered \(answer.flags.responseCode) for TXT \(canonical(name))")
        }
    }

    private func canonical(_ name: String) -> String { DNSName.canonical(name) + "." }
}
