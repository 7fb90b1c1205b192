/// A DNS provider bound to one validated configuration and one set of credentials.
///
/// The contract every provider keeps, and that `dns01-webhook check` verifies:
/// - `present` adds `challenge.key` to the TXT values at `challenge.resolvedFQDN` and leaves
///   every other value at that name alone;
/// - `cleanUp` removes that one value only;
/// - both are idempotent: presenting a present value, or cleaning up a missing one, succeeds.
public protocol DNSProvider: Sendable {
    func present(_ challenge: Challenge) async throws
    func cleanUp(_ challenge: Challenge) async throws
    /// The TXT values at `fqdn` as the provider's own API reports them (each value with its
    /// character-strings joined, unquoted). `zone` is the hint the challenge carried.
    func txtValues(at fqdn: DomainName, zone: DomainName?) async throws -> [String]

    /// How the API behind this provider stores several values at `fqdn`, when it depends on
    /// the server rather than on the provider (PowerDNS has server-side value changes from
    /// 4.9.12 on, and only a precondition-free rewrite before). `nil`: as the plugin's
    /// descriptor says. The dispatcher asks before each step, and takes the record-name lock
    /// when the answer is `readModifyWriteSet`.
    func recordModel(at fqdn: DomainName) async throws -> RecordModel?
}

extension DNSProvider {
    public func recordModel(at fqdn: DomainName) async throws -> RecordModel? { nil }
}
