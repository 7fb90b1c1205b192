import Foundation
import NIOCore
import Synchronization

/// A loopback TCP port held by a socket that is bound but never listens: a connection to it is
/// refused, and no other server (another test's emulator, started meanwhile) can take the port,
/// as it could one that was only found free and closed again.
public final class ReservedPort: Sendable {
    public let port: Int
    /// -1 once released.
    private let descriptor: Atomic<Int32>

    public init() throws {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw IOError(errnoCode: errno, reason: "socket") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                bind(descriptor, socketAddress, length) == 0 && getsockname(descriptor, socketAddress, &length) == 0
            }
        }
        guard bound else {
            let code = errno
            close(descriptor)
            throw IOError(errnoCode: code, reason: "bind")
        }
        self.descriptor = Atomic(descriptor)
        self.port = Int(UInt16(bigEndian: address.sin_port))
    }

    /// Frees the port. Only the first call closes the socket: a second must not close a
    /// descriptor number the process has since given to another file.
    public func release() {
        let descriptor = descriptor.exchange(-1, ordering: .acquiringAndReleasing)
        if descriptor >= 0 { close(descriptor) }
    }

    deinit { release() }
}
