import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// The serving certificate in force. Each new connection takes `current`; connections already
/// open keep the context they started with, so replacing the files drops nothing.
final class ServingCertificateStore: Sendable {
    let certificateFile: String
    let keyFile: String
    private let certificate: Mutex<ServingCertificate>
    private let lastFailure = Mutex<String?>(nil)
    private let logger: Logger
    private let onChange: @Sendable (ServingCertificate) -> Void

    init(certificateFile: String, keyFile: String, logger: Logger, onChange: @escaping @Sendable (ServingCertificate) -> Void = { _ in }) throws(ServingCertificateError) {
        self.certificateFile = certificateFile
        self.keyFile = keyFile
        self.logger = logger
        self.onChange = onChange
        let loaded = try ServingCertificate.load(certificateFile: certificateFile, keyFile: keyFile)
        self.certificate = Mutex(loaded)
        onChange(loaded)
    }

    var current: ServingCertificate { certificate.withLock { $0 } }

    /// Re-reads both files and swaps in a new certificate when they changed and form a usable
    /// pair. A half-written pair (the certificate replaced before the key) is retried on the
    /// next call; until then the previous certificate keeps serving.
    func reloadIfChanged() {
        guard let certificatePEM = FileManager.default.contents(atPath: certificateFile).map(Array.init),
              let keyPEM = FileManager.default.contents(atPath: keyFile).map(Array.init)
        else {
            reportFailure("the serving certificate files cannot be read; keeping the current certificate")
            return
        }
        let old = current
        guard certificatePEM != old.certificatePEM || keyPEM != old.keyPEM else { return }
        do {
            let new = try ServingCertificate.make(certificatePEM: certificatePEM, keyPEM: keyPEM, certificateFile: certificateFile, keyFile: keyFile)
            certificate.withLock { $0 = new }
            lastFailure.withLock { $0 = nil }
            onChange(new)
            logger.info("serving certificate reloaded", metadata: ["subject": "\(new.subject)", "serial": "\(new.serial)", "notAfter": "\(new.notAfter)"])
        } catch {
            reportFailure("\(error); keeping the current certificate")
        }
    }

    private func reportFailure(_ message: String) {
        // Log a given failure once, not on every poll.
        let isNew = lastFailure.withLock { last in
            defer { last = message }
            return last != message
        }
        if isNew { logger.warning("serving certificate not reloaded", metadata: ["reason": "\(message)"]) }
    }
}

/// Polls the serving certificate and the CA files given by flag (Kubernetes updates a mounted
/// Secret or ConfigMap by swapping a symlink, which file-event APIs report unreliably; a few
/// small reads a second cost nothing).
struct ServingCertificateReloader: Service, CustomStringConvertible {
    let store: ServingCertificateStore
    let authentication: AuthenticationSettingsStore
    let interval: Duration

    var description: String { "ServingCertificateReloader(\(store.certificateFile))" }

    func run() async throws {
        do {
            try await cancelWhenGracefulShutdown {
                while true {
                    try await Task.sleep(for: interval)
                    store.reloadIfChanged()
                    authentication.reloadFlagFiles()
                }
            }
        } catch is CancellationError {
            return
        }
    }
}
