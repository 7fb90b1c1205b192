/// A failed call to the Kubernetes API, or a connection that cannot be set up.
///
/// `message` is for people: it says what was asked (`GET secrets cert-manager/route53`) and
/// what the apiserver said, and never contains a token or a Secret value.
public struct KubernetesError: Error, Sendable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case invalidConfiguration, unreachable, httpStatus, invalidResponse
        }
        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// The kubeconfig or in-cluster environment is unusable.
        public static let invalidConfiguration = Code(.invalidConfiguration)
        /// The apiserver could not be reached (connect, TLS, timeout).
        public static let unreachable = Code(.unreachable)
        /// The apiserver answered with a non-2xx status; see `statusCode` and `status`.
        public static let httpStatus = Code(.httpStatus)
        /// The answer could not be decoded.
        public static let invalidResponse = Code(.invalidResponse)

        public var description: String { base.rawValue }
    }

    public let code: Code
    public let message: String
    /// The HTTP status, for `.httpStatus`.
    public let statusCode: Int?
    /// The apiserver's `Status` body, when it sent one.
    public let status: Status?

    public init(_ code: Code, _ message: String, statusCode: Int? = nil, status: Status? = nil) {
        self.code = code
        self.message = message
        self.statusCode = statusCode
        self.status = status
    }

    public var description: String { message }

    public var isNotFound: Bool { statusCode == 404 }
    public var isForbidden: Bool { statusCode == 403 }
    public var isConflict: Bool { statusCode == 409 }
}
