import Foundation
import NIOSSL
import X509

/// A CA bundle that client certificates are verified against (the request-header CA, the
/// client CA), parsed once when it is loaded.
struct TrustBundle: Sendable, Equatable {
    let certificates: [Certificate]
    let store: CertificateStore
    /// Where it came from, for messages: a file name or the ConfigMap key.
    let origin: String

    init(pem: [UInt8], origin: String) throws(AuthConfigurationError) {
        let parsed: [Certificate]
        do {
            parsed = try NIOSSLCertificate.fromPEMBytes(pem).map { try Certificate(derEncoded: try $0.toDERBytes()) }
        } catch {
            throw AuthConfigurationError("\(origin) is not a PEM certificate bundle: \(error)")
        }
        guard !parsed.isEmpty else { throw AuthConfigurationError("\(origin) holds no certificate") }
        self.certificates = parsed
        self.store = CertificateStore(parsed)
        self.origin = origin
    }

    init(file path: String, origin: String) throws(AuthConfigurationError) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw AuthConfigurationError("\(origin) \(path) cannot be read")
        }
        try self.init(pem: Array(data), origin: "\(origin) \(path)")
    }

    static func == (lhs: TrustBundle, rhs: TrustBundle) -> Bool { lhs.certificates == rhs.certificates }
}

/// Authentication configuration that cannot be used (a bad CA file, a malformed ConfigMap).
struct AuthConfigurationError: Error, Sendable, CustomStringConvertible {
    let message: String
    init(_ message: String) { self.message = message }
    var description: String { message }
}
