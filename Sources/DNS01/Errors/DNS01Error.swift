/// The error every layer of dns01-webhook speaks.
///
/// `message` is what a user sees (a CLI line, a `ChallengeResponse.status.message`), so it is
/// stable across retries: no request ids, no timestamps, never a secret value. cert-manager
/// re-queues a Challenge at once when the message changes, so stability is a feature.
public struct DNS01Error: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of failure this is; callers branch on it, users read `message`.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case invalidConfiguration
            case invalidChallenge
            case noProviderMatches
            case unknownSolver
            case secretNotFound
            case secretAccessDenied
            case credentialsUnavailable
            case zoneNotFound
            case providerRejected
            case providerUnavailable
            case timedOut
            case forbiddenByPolicy
        }
        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// A config document is malformed; the message names the field path.
        public static let invalidConfiguration = Code(.invalidConfiguration)
        /// The challenge itself is malformed (bad name, empty key, unknown action).
        public static let invalidChallenge = Code(.invalidChallenge)
        /// No entry of the routing table selects the challenge's domain.
        public static let noProviderMatches = Code(.noProviderMatches)
        /// The solver name is not served.
        public static let unknownSolver = Code(.unknownSolver)
        /// A referenced Secret, or a key in it, does not exist.
        public static let secretNotFound = Code(.secretNotFound)
        /// The Secret exists but may not be read (RBAC).
        public static let secretAccessDenied = Code(.secretAccessDenied)
        /// No usable credentials (none configured, ambient not allowed, or the exchange failed).
        public static let credentialsUnavailable = Code(.credentialsUnavailable)
        /// The provider account holds no zone for the name.
        public static let zoneNotFound = Code(.zoneNotFound)
        /// The provider answered with a definite refusal; retrying the same request will not help.
        public static let providerRejected = Code(.providerRejected)
        /// The provider could not be reached or kept failing transiently.
        public static let providerUnavailable = Code(.providerUnavailable)
        /// A deadline passed before the operation finished.
        public static let timedOut = Code(.timedOut)
        /// The operator's policy forbids this (for example an Issuer naming an operator-only provider).
        public static let forbiddenByPolicy = Code(.forbiddenByPolicy)

        public var description: String { base.rawValue }
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}

extension DNS01Error {
    /// A config error at `path`, worded as "`path` `problem`" (`providers[1].alidns.secretKeySecretRef.key is required`).
    public static func invalidConfiguration(at path: ConfigPath, _ problem: String) -> DNS01Error {
        let subject = path.description
        return DNS01Error(.invalidConfiguration, subject.isEmpty ? "config \(problem)" : "\(subject) \(problem)")
    }

    /// Wraps any error into a `DNS01Error`, keeping one that already is.
    public static func wrapping(_ error: any Error, as code: Code = .providerUnavailable, context: String) -> DNS01Error {
        if let known = error as? DNS01Error { return known }
        return DNS01Error(code, "\(context): \(error)")
    }
}
