import DNS01
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The record-name lock of the CLI: an exclusive `flock` on one file per record name in a
/// state directory, so `present`/`cleanup` processes on one machine exclude each other. The
/// kernel drops the lock when its process exits, however it exits, so a killed process never
/// leaves a name locked.
///
/// Lock files are kept, never deleted: deleting one while another process waits on it would
/// let a third process lock a new file of the same name, and two writers would run at once.
public struct FileRecordNameLock: RecordNameLock {
    public struct Hold: Sendable {
        public let name: RecordNameLockName
        let descriptor: Int32
    }

    public let directory: String

    public init(directory: String) {
        self.directory = directory
    }

    /// `$XDG_STATE_HOME/dns01-webhook/locks`, else `~/.local/state/dns01-webhook/locks`, else
    /// (no home) the system's temporary directory.
    public static func defaultDirectory(environment: [String: String]) -> String {
        if let state = environment["XDG_STATE_HOME"], state.hasPrefix("/") {
            return state + "/dns01-webhook/locks"
        }
        if let home = environment["HOME"], home.hasPrefix("/") {
            return home + "/.local/state/dns01-webhook/locks"
        }
        return NSTemporaryDirectory() + "dns01-webhook-\(getuid())/locks"
    }

    /// The lock file of a record name: the name itself, with anything outside `[a-z0-9._-]`
    /// written as `%XX` (record names are at most 253 bytes, under any file-name limit).
    public func path(for name: RecordNameLockName) -> String {
        var file = ""
        for byte in name.key.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "-"), UInt8(ascii: "_"):
                file.append(Character(UnicodeScalar(byte)))
            default:
                file += "%" + (byte < 16 ? "0" : "") + String(byte, radix: 16, uppercase: true)
            }
        }
        return "\(directory)/\(file).lock"
    }

    public func acquire(_ name: RecordNameLockName, deadline: ContinuousClock.Instant) async throws -> Hold {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw DNS01Error(.invalidConfiguration, "cannot lock \(name.recordName.fqdn): cannot create the lock directory \(directory) (--state-dir): \(PlainErrorText.describe(error)); nothing was written")
        }
        let path = path(for: name)
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw DNS01Error(.invalidConfiguration, "cannot lock \(name.recordName.fqdn): cannot open \(path): \(String(cString: strerror(errno))); nothing was written")
        }
        // Polled without blocking, so no thread of the pool sleeps in the kernel.
        var backoff = Duration.milliseconds(5)
        while flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            let failure = errno
            guard failure == EWOULDBLOCK || failure == EINTR else {
                close(descriptor)
                throw DNS01Error(.providerUnavailable, "cannot lock \(name.recordName.fqdn): flock \(path): \(String(cString: strerror(failure))); nothing was written")
            }
            let pause = Duration.milliseconds(Double.random(in: 0.5...1) * (backoff / .milliseconds(1)))
            guard ContinuousClock.now + pause < deadline else {
                close(descriptor)
                throw DNS01Error(.timedOut, "the lock on \(name.recordName.fqdn) (\(path)) is held by another process and was not free before the deadline (--lock-timeout); nothing was written")
            }
            do {
                try await Task.sleep(for: pause)
            } catch {
                close(descriptor)
                throw error
            }
            backoff = min(backoff * 2, .milliseconds(200))
        }
        return Hold(name: name, descriptor: descriptor)
    }

    public func release(_ hold: Hold) async throws {
        // Closing the last descriptor drops the lock.
        close(hold.descriptor)
    }
}
