import Foundation
import Logging
import NIOHTTP1

/// Authenticates a request in the Kubernetes order: front proxy (request-header), then a
/// client-CA certificate, then a bearer token by TokenReview. The first that accepts wins; if
/// none does, a failed verification is a rejection (401) and no credentials at all is
/// anonymous, which the responder refuses on everything but health.
struct Authenticator: Sendable {
    enum Outcome: Sendable {
        case authenticated(UserIdentity)
        case anonymous
        /// Reasons, one per authenticator that tried and failed; logged, not sent.
        case rejected([String])
    }

    let settings: AuthenticationSettingsStore
    let tokenReviewer: TokenReviewer?
    /// A connection's certificate verdict is re-computed after this long (certificates expire).
    var verdictMaximumAge: Duration = .seconds(60)

    func authenticate(_ request: APIRequest) async -> Outcome {
        let settings = settings.current
        var failures: [String] = []

        if let peer = request.peer, peer.presentedCertificate {
            let verdict = await certificateVerdict(peer: peer, settings: settings)
            switch verdict.frontProxy {
            case .verified:
                if let requestHeader = settings.requestHeader {
                    if let user = Self.frontProxyUser(request.headers, settings: requestHeader) { return .authenticated(user) }
                    failures.append("front-proxy certificate without a \(requestHeader.usernameHeaders.joined(separator: "/")) header")
                }
            case .rejected(let reason):
                failures.append(reason)
            case .notConfigured:
                break
            }
            switch verdict.clientCertificate {
            case .verified(let name, let organizations):
                return .authenticated(UserIdentity(name: name, groups: organizations, method: .clientCertificate))
            case .rejected(let reason):
                failures.append(reason)
            case .notConfigured:
                if case .notConfigured = verdict.frontProxy {
                    failures.append("a client certificate was presented but no client CA or request-header CA is configured")
                }
            }
        }

        if let token = Self.bearerToken(request.headers) {
            if let tokenReviewer {
                do {
                    switch try await tokenReviewer.review(token) {
                    case .authenticated(let user): return .authenticated(user)
                    case .rejected(let reason): failures.append(reason)
                    }
                } catch {
                    failures.append("TokenReview failed: \(error)")
                }
            } else {
                failures.append("a bearer token was presented but there is no cluster connection to review it")
            }
        }
        return failures.isEmpty ? .anonymous : .rejected(failures)
    }

    private func certificateVerdict(peer: TLSPeer, settings: AuthenticationSettings) async -> CertificateVerdict {
        if let cached = peer.cachedVerdict(generation: settings.generation, maximumAge: verdictMaximumAge) { return cached }
        let verdict: CertificateVerdict
        do {
            verdict = await ClientCertificateVerifier.verdict(for: try peer.chain(), settings: settings)
        } catch {
            let reason = "the client certificate cannot be parsed: \(error)"
            verdict = CertificateVerdict(frontProxy: .rejected(reason), clientCertificate: .rejected(reason))
        }
        peer.store(verdict, generation: settings.generation)
        return verdict
    }

    /// The user the front proxy names in its headers; `nil` without a username.
    static func frontProxyUser(_ headers: HTTPHeaders, settings: RequestHeaderSettings) -> UserIdentity? {
        guard let name = settings.usernameHeaders.lazy.compactMap({ headers[$0].first(where: { !$0.isEmpty }) }).first else {
            return nil
        }
        let groups = settings.groupHeaders.flatMap { headers[$0] }
        let uid = settings.uidHeaders.lazy.compactMap { headers[$0].first }.first
        var extra: [String: [String]] = [:]
        for (header, value) in headers {
            for prefix in settings.extraHeaderPrefixes where header.count > prefix.count && header.lowercased().hasPrefix(prefix.lowercased()) {
                // X-Remote-Extra-<key>: the key is lower-cased and percent-decoded.
                let rawKey = String(header.dropFirst(prefix.count)).lowercased()
                let key = rawKey.removingPercentEncoding ?? rawKey
                extra[key, default: []].append(value)
            }
        }
        return UserIdentity(name: name, uid: uid, groups: groups, extra: extra, method: .frontProxy)
    }

    private static func bearerToken(_ headers: HTTPHeaders) -> String? {
        guard let value = headers.first(name: "Authorization") else { return nil }
        let parts = value.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        let token = parts[1].trimmingCharacters(in: .whitespaces)
        return token.isEmpty ? nil : token
    }
}
