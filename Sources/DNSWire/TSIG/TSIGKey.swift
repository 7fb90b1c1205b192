/// A shared TSIG key: its name (as configured on the server), algorithm and secret bytes.
public struct TSIGKey: Sendable, Hashable, CustomStringConvertible {
    /// Canonical (lower-case, no trailing dot).
    public let name: String
    public let algorithm: TSIGAlgorithm
    public let secret: [UInt8]

    public init(name: String, algorithm: TSIGAlgorithm, secret: [UInt8]) {
        self.name = DNSName.canonical(name)
        self.algorithm = algorithm
        self.secret = secret
    }

    /// Never the secret.
    public var description: String { "\(name) (\(algorithm))" }
}
