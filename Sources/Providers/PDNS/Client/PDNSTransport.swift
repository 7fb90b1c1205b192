import AsyncHTTPClient
import DNS01
import NIOSSL
import ProviderKit

/// Where a challenge's requests go: the plugin's transport, or, for a server whose certificate
/// a private CA signed (`caBundle`), an HTTP client trusting only that CA, which lives for one
/// step (Present, CleanUp or a read-back) and is shut down after it.
enum PDNSTransport: Sendable {
    case shared(any HTTPTransport)
    case privateCA([NIOSSLCertificate])

    /// Runs `body` with the transport to use.
    func run<T: Sendable>(_ body: (any HTTPTransport) async throws -> T) async throws -> T {
        switch self {
        case .shared(let transport):
            return try await body(transport)
        case .privateCA(let roots):
            var tls = TLSConfiguration.makeClientConfiguration()
            tls.minimumTLSVersion = .tlsv12
            tls.trustRoots = .certificates(roots)
            var configuration = HTTPClient.Configuration(tlsConfiguration: tls, redirectConfiguration: .disallow)
            // As the shared transport does: a refused connection fails at once (RetryPolicy decides).
            configuration.connectionPool.retryConnectionEstablishment = false
            return try await HTTPClient.withHTTPClient(configuration: configuration) { client in
                try await body(AsyncHTTPClientTransport(client: client))
            }
        }
    }

    /// The certificates of a PEM bundle, or a configuration error naming `field`.
    static func certificates(_ pem: String, field: String) throws -> [NIOSSLCertificate] {
        do {
            let certificates = try NIOSSLCertificate.fromPEMBytes(Array(pem.utf8))
            guard !certificates.isEmpty else { throw DNS01Error(.invalidConfiguration, "\(field) holds no certificate") }
            return certificates
        } catch let error as DNS01Error {
            throw error
        } catch {
            throw DNS01Error(.invalidConfiguration, "\(field) is not a valid PEM certificate bundle")
        }
    }
}
