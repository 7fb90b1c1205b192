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
}
