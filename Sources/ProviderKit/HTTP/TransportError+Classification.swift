import AsyncHTTPClient
import NIOCore
import NIOPosix
import NIOSSL

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

extension TransportError {
    /// The kind of an HTTP-stack error and a plain sentence for it. The stack's own
    /// descriptions name Swift types and enum cases (`HTTPClientError.connectTimeout`,
    /// `NIOConnectionError(...)`), which must never reach a user.
    static func classify(_ error: any Error) -> (Kind, String) {
        switch error {
        case let error as HTTPClientError:
            switch error {
            case .connectTimeout: return (.timedOut, "the connection timed out")
            case .readTimeout, .writeTimeout, .deadlineExceeded, .getConnectionFromPoolTimeout:
                return (.timedOut, "no answer in time")
            case .tlsHandshakeTimeout: return (.timedOut, "the TLS handshake timed out")
            case .remoteConnectionClosed, .uncleanShutdown: return (.connectionLost, "the server closed the connection before answering")
            case .invalidURL, .emptyHost, .emptyScheme: return (.other, "the URL is not a valid http(s) URL")
            case .cancelled: return (.other, "the request was cancelled")
            case .proxyAuthenticationRequired: return (.other, "the HTTP proxy requires authentication")
            default: return (.other, "the HTTP exchange failed")
            }
        case let error as NIOConnectionError:
            if error.dnsAError != nil || error.dnsAAAAError != nil, error.connectionErrors.isEmpty {
                return (.unknownHost, "the host name \(error.host) does not resolve")
            }
            if let first = error.connectionErrors.first {
                return classify(first.error)
            }
            return (.unknownHost, "the host name \(error.host) has no address")
        case let error as IOError:
            return classify(errno: error.errnoCode)
        case let error as ChannelError:
            switch error {
            case .connectTimeout: return (.timedOut, "the connection timed out")
            default: return (.connectionLost, "the connection failed")
            }
        case is SocketAddressError:
            return (.unknownHost, "the host name does not resolve")
        case let error as NIOSSLError:
            switch error {
            case .handshakeFailed: return (.tls, "the TLS handshake failed")
            case .uncleanShutdown: return (.connectionLost, "the server closed the TLS connection before answering")
            default: return (.tls, "the TLS connection failed")
            }
        case is NIOSSLExtraError, is BoringSSLError:
            return (.tls, "the TLS handshake failed")
        default:
            return (.other, "the request failed")
        }
    }

    /// What to check, after the cause (`: check …`): every such failure names its endpoint
    /// (`cannot reach <host>`), so the advice says what about it to look at.
    static func advice(_ kind: Kind, limit: String?) -> String {
        switch kind {
        case .connectionRefused: "; check the endpoint's host and port, and that the service runs and is reachable from here"
        case .unknownHost: "; check the endpoint's spelling and that this machine's (or pod's) DNS resolver knows the name"
        case .tls: "; check that the endpoint speaks HTTPS on that port, that its certificate is valid for this host name, and that its CA is trusted (a private CA needs its bundle in the config)"
        case .timedOut:
            if let limit { " (\(limit)); check that the endpoint is right and that no firewall, proxy or network policy drops the traffic" } else { "" }
        case .connectionLost, .other: ""
        }
    }

    private static func classify(errno code: CInt) -> (Kind, String) {
        switch code {
        case ECONNREFUSED: (.connectionRefused, "connection refused")
        case ETIMEDOUT: (.timedOut, "the connection timed out")
        case ECONNRESET, EPIPE: (.connectionLost, "the connection was reset")
        case ENETUNREACH, EHOSTUNREACH: (.connectionRefused, "the network or host is unreachable")
        default: (.other, "the connection failed (\(String(cString: strerror(code))))")
        }
    }
}

extension Duration {
    /// `25s`, `1.5s`, `250ms`: how long, as a user reads it.
    public var plainSeconds: String {
        let milliseconds = components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000
        if milliseconds < 1000 { return "\(milliseconds)ms" }
        if milliseconds % 1000 == 0 { return "\(milliseconds / 1000)s" }
        return "\(Double(milliseconds) / 1000)s"
    }
}
