import Foundation
import NIOSSL
import X509

/// The serving certificate and key as loaded from `--tls-cert-file` / `--tls-private-key-file`
/// (PEM, as Kubernetes writes `tls.crt` / `tls.key`), ready to serve: a TLS 1.2+ context that
/// requests, but does not require, a client certificate.
struct ServingCertificate: Sendable {
    let context: NIOSSLContext
    let notAfter: Date
    let subject: String
    let serial: String
    /// The file contents it was built from, to notice a change.
    let certificatePEM: [UInt8]
    let keyPEM: [UInt8]

    static func load(certificateFile: String, keyFile: String) throws(ServingCertificateError) -> ServingCertificate {
        guard let certificatePEM = FileManager.default.contents(atPath: certificateFile) else {
            throw ServingCertificateError("--tls-cert-file \(certificateFile) cannot be read")
        }
        guard let keyPEM = FileManager.default.contents(atPath: keyFile) else {
            throw ServingCertificateError("--tls-private-key-file \(keyFile) cannot be read")
        }
        return try make(certificatePEM: Array(certificatePEM), keyPEM: Array(keyPEM), certificateFile: certificateFile, keyFile: keyFile)
    }

    static func make(certificatePEM: [UInt8], keyPEM: [UInt8], certificateFile: String, keyFile: String) throws(ServingCertificateError) -> ServingCertificate {
        let chain: [NIOSSLCertificate]
        do {
            chain = try NIOSSLCertificate.fromPEMBytes(certificatePEM)
        } catch {
            throw ServingCertificateError("--tls-cert-file \(certificateFile) is not a PEM certificate: \(error)")
        }
        guard let leaf = chain.first else { throw ServingCertificateError("--tls-cert-file \(certificateFile) holds no certificate") }
        let key: NIOSSLPrivateKey
        do {
            // PEM explicitly: NIOSSL reads a `.key` path as DER.
            key = try NIOSSLPrivateKey(bytes: keyPEM, format: .pem)
        } catch {
            throw ServingCertificateError("--tls-private-key-file \(keyFile) is not a PEM private key: \(error)")
        }
        var tls = TLSConfiguration.makeServerConfiguration(certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key))
        tls.minimumTLSVersion = .tlsv12
        // Request a client certificate without requiring one (kubelet probes have none) and
        // without judging it here: the authenticator verifies it against CAs that change.
        tls.certificateVerification = .optionalVerification
        tls.trustRoots = .certificates([])
        tls.applicationProtocols = ["http/1.1"]
        // Closing waits this long for the client's close_notify; many clients never send one,
        // and graceful shutdown waits for every connection to close.
        tls.shutdownTimeout = .seconds(1)
        let context: NIOSSLContext
        do {
            context = try NIOSSLContext(configuration: tls)
        } catch {
            throw ServingCertificateError("the serving certificate \(certificateFile) and key \(keyFile) cannot be used together: \(error)")
        }
        let parsed: Certificate
        do {
            parsed = try Certificate(derEncoded: try leaf.toDERBytes())
        } catch {
            throw ServingCertificateError("--tls-cert-file \(certificateFile) cannot be parsed: \(error)")
        }
        return ServingCertificate(
            context: context,
            notAfter: parsed.notValidAfter,
            subject: "\(parsed.subject)",
            serial: "\(parsed.serialNumber)",
            certificatePEM: certificatePEM,
            keyPEM: keyPEM
        )
    }
}

struct ServingCertificateError: Error, Sendable, CustomStringConvertible {
    let message: String
    init(_ message: String) { self.message = message }
    var description: String { message }
}
