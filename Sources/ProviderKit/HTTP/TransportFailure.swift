import AsyncHTTPClient
import NIOCore
import NIOPosix

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Plain-words descriptions of the ways a request can fail before any HTTP answer, for the
/// messages users read: never a Swift type or case name (`HTTPClientError.connectTimeout`,
/// `NIOConnectionError(...)`), which say nothing to someone looking at a Challenge.
enum TransportFailure {
    /// The reason, and whether another attempt now would fail the same way.
    static func describe(_ error: any Error, authority: String) -> (reason: String, permanent: Bool) {
        switch error {
        case let error as NIOConnectionError:
            if let first = error.connectionErrors.first {
                let (reason, permanent) = describe(first.error, authority: authority)
                return (reason, permanent)
            }
            if error.dnsAError != nil || error.dnsAAAAError != nil {
                return ("cannot resolve the host name \(error.host)", true)
            }
            return ("cannot connect to \(authority)", false)
        case let error as IOError:
            return describe(errno: error.errnoCode, authority: authority)
        case let error as ChannelError:
            switch error {
            case .connectTimeout: return ("cannot connect to \(authority): connection timed out", false)
            case .eof, .alreadyClosed, .ioOnClosedChannel, .outputClosed: return ("the connection to \(authority) was closed before an answer came", false)
            default: return ("the connection to \(authority) failed", false)
            }
        case let error as HTTPClientError:
            switch error {
            case .connectTimeout: return ("cannot connect to \(authority): connection timed out", false)
            case .deadlineExceeded, .readTimeout, .writeTimeout: return ("\(authority) did not answer within the request timeout", false)
            case .getConnectionFromPoolTimeout: return ("timed out waiting for a connection to \(authority)", false)
            case .tlsHandshakeTimeout: return ("the TLS handshake with \(authority) timed out", false)
            case .remoteConnectionClosed: return ("\(authority) closed the connection before answering", false)
            case .cancelled: return ("the request to \(authority) was cancelled", false)
            case .invalidURL, .emptyHost, .emptyScheme: return ("the URL of \(authority) is not a valid http(s) URL", true)
            case .bodyLengthMismatch, .invalidProxyResponse: return ("\(authority) answered with a malformed HTTP response", false)
            default: return ("the request to \(authority) failed", false)
            }
        default:
            let typeName = String(reflecting: type(of: error))
            if typeName.contains("SSL") || typeName.contains("TLS") || typeName.contains("Certificate") {
                return ("the TLS handshake with \(authority) failed (is its certificate valid for that name and trusted?)", false)
            }
            if typeName.contains("SocketAddressError") || typeName.contains("Resolver") {
                return ("cannot resolve the host name of \(authority)", true)
            }
            return ("the request to \(authority) failed", false)
        }
    }

    private static func describe(errno code: Int32, authority: String) -> (reason: String, permanent: Bool) {
        switch code {
        case ECONNREFUSED: ("cannot connect to \(authority): connection refused", true)
        case ETIMEDOUT: ("cannot connect to \(authority): connection timed out", false)
        case ENETUNREACH: ("cannot connect to \(authority): network unreachable", false)
        case EHOSTUNREACH: ("cannot connect to \(authority): host unreachable", false)
        case ECONNRESET: ("the connection to \(authority) was reset", false)
        case EPIPE: ("the connection to \(authority) was closed while sending", false)
        default: ("cannot connect to \(authority) (error \(code))", false)
        }
    }
}
