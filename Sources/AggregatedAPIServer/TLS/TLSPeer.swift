import NIOSSL
import Synchronization
import X509

/// One TLS connection's client: the certificates it presented in the handshake, and the
/// authenticator's verdict on them, kept for the life of the connection so a keep-alive
/// connection verifies its chain once, not on every request.
///
/// The TLS layer accepts any certificate (clients certificates are requested, not required,
/// and judged by the authenticator against CAs that can change at run time); the handshake
/// callback records them here, and every request of the connection carries this object.
final class TLSPeer: Sendable {
    private struct State {
        var presented: [NIOSSLCertificate] = []
        var parsed: [Certificate]?
        var verdict: CachedVerdict?
    }

    struct CachedVerdict {
        var generation: Int
        var verifiedAt: ContinuousClock.Instant
        var verdict: CertificateVerdict
    }

    private let state = Mutex(State())

    init() {}

    /// Called from the TLS handshake with the peer's chain, leaf first.
    func record(_ certificates: [NIOSSLCertificate]) {
        state.withLock { $0 = State(presented: certificates) }
    }

    var presentedCertificate: Bool { state.withLock { !$0.presented.isEmpty } }

    /// The presented chain parsed for verification (once per connection); `nil` when there is
    /// none or it cannot be parsed.
    func chain() throws -> [Certificate] {
        if let parsed = state.withLock({ $0.parsed }) { return parsed }
        let presented = state.withLock { $0.presented }
        let parsed = try presented.map { try Certificate(derEncoded: try $0.toDERBytes()) }
        state.withLock { $0.parsed = parsed }
        return parsed
    }

    /// The verdict for settings `generation` if one younger than `maximumAge` is cached.
    func cachedVerdict(generation: Int, maximumAge: Duration) -> CertificateVerdict? {
        state.withLock { state in
            guard let cached = state.verdict, cached.generation == generation,
                  ContinuousClock.now - cached.verifiedAt < maximumAge else { return nil }
            return cached.verdict
        }
    }

    func store(_ verdict: CertificateVerdict, generation: Int) {
        state.withLock { $0.verdict = CachedVerdict(generation: generation, verifiedAt: .now, verdict: verdict) }
    }
}
