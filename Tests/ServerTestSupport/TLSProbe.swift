import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import NIOSSL
import TestSupport

/// Opens a fresh TLS connection and returns the serial number of the certificate the server
/// presented in that handshake.
public func servedCertificateSerial(port: Int) async throws -> [UInt8] {
    var tls = TLSConfiguration.makeClientConfiguration()
    tls.certificateVerification = .noHostnameVerification
    let context = try NIOSSLContext(configuration: tls)
    let group = MultiThreadedEventLoopGroup.singleton
    let result = group.next().makePromise(of: [UInt8].self)
    let completed = NIOLockedValueBox(false)
    let finish: @Sendable (Result<[UInt8], any Error>) -> Void = { outcome in
        let first = completed.withLockedValue { done in
            defer { done = true }
            return !done
        }
        if first { result.completeWith(outcome) }
    }
    let channel = try await ClientBootstrap(group: group)
        .channelInitializer { channel in
            channel.eventLoop.makeCompletedFuture {
                let handler = try NIOSSLClientHandler(context: context, serverHostname: nil, customVerificationCallback: { certificates, verification in
                    // Record what was served; trust is not the question here.
                    if let leaf = certificates.first { finish(.success(leaf.serialNumber)) }
                    verification.succeed(.certificateVerified)
                })
                try channel.pipeline.syncOperations.addHandler(handler)
            }
        }
        .connect(host: "127.0.0.1", port: port)
        .get()
    channel.closeFuture.whenComplete { _ in finish(.failure(ChannelError.alreadyClosed)) }
    defer { channel.close(promise: nil) }
    return try await result.futureResult.get()
}
