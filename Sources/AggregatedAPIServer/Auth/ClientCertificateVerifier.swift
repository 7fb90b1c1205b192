import Foundation
import X509

/// What a client certificate chain proves under the current settings: whether it is the front
/// proxy, and which user a client-CA certificate names. Failures carry the reason (for the log,
/// never for the client).
struct CertificateVerdict: Sendable {
    enum FrontProxy: Sendable {
        case notConfigured
        case verified
        case rejected(String)
    }

    enum ClientCertificate: Sendable {
        case notConfigured
        case verified(commonName: String, organizations: [String])
        case rejected(String)
    }

    var frontProxy: FrontProxy
    var clientCertificate: ClientCertificate
}

/// Verifies a presented chain against a CA bundle as Go's `x509.Verify` with
/// `ExtKeyUsageClientAuth` does: RFC 5280 path validation to one of the roots, and a leaf that
/// may be used for client authentication.
enum ClientCertificateVerifier {
    static func verdict(for chain: [Certificate], settings: AuthenticationSettings) async -> CertificateVerdict {
        var frontProxy = CertificateVerdict.FrontProxy.notConfigured
        if let requestHeader = settings.requestHeader {
            if let failure = await verify(chain, against: requestHeader.clientCA) {
                frontProxy = .rejected("not a front-proxy certificate: \(failure)")
            } else {
                let name = commonName(chain[0]) ?? ""
                if requestHeader.allowedNames.isEmpty || requestHeader.allowedNames.contains(name) {
                    frontProxy = .verified
                } else {
                    frontProxy = .rejected("front-proxy certificate CN \"\(name)\" is not one of requestheader-allowed-names \(requestHeader.allowedNames)")
                }
            }
        }
        var clientCertificate = CertificateVerdict.ClientCertificate.notConfigured
        if let clientCA = settings.clientCA {
            if let failure = await verify(chain, against: clientCA) {
                clientCertificate = .rejected("not a client-CA certificate: \(failure)")
            } else if let name = commonName(chain[0]), !name.isEmpty {
                clientCertificate = .verified(commonName: name, organizations: organizations(chain[0]))
            } else {
                clientCertificate = .rejected("client certificate has no common name")
            }
        }
        return CertificateVerdict(frontProxy: frontProxy, clientCertificate: clientCertificate)
    }

    /// `nil` when `chain` verifies against `bundle` for client authentication, else why not.
    static func verify(_ chain: [Certificate], against bundle: TrustBundle) async -> String? {
        guard let leaf = chain.first else { return "no certificate" }
        do {
            if let usages = try leaf.extensions.extendedKeyUsage, !usages.contains(.clientAuth), !usages.contains(.any) {
                return "the certificate \(leaf.subject) may not be used for client authentication (extended key usage \(usages))"
            }
        } catch {
            return "the certificate's extended key usage cannot be read: \(error)"
        }
        var verifier = Verifier(rootCertificates: bundle.store) { RFC5280Policy() }
        switch await verifier.validate(leaf: leaf, intermediates: CertificateStore(chain.dropFirst())) {
        case .validCertificate:
            return nil
        case .couldNotValidate(let failures):
            let reasons = failures.map { "\($0.policyFailureReason)" }
            return "the certificate \(leaf.subject) does not chain to \(bundle.origin)" + (reasons.isEmpty ? "" : " (\(reasons.joined(separator: "; ")))")
        }
    }

    static func commonName(_ certificate: Certificate) -> String? {
        for rdn in certificate.subject {
            for attribute in rdn where attribute.type == .RDNAttributeType.commonName {
                return String(attribute.value)
            }
        }
        return nil
    }

    static func organizations(_ certificate: Certificate) -> [String] {
        certificate.subject.flatMap { rdn in
            rdn.filter { $0.type == .RDNAttributeType.organizationName }.compactMap { String($0.value) }
        }
    }
}
