import DNS01

/// The webhook pod's environment as a credential chain reads it: a blank value counts as unset.
public struct CredentialEnvironment: Sendable {
    public let variables: [String: String]

    public init(_ variables: [String: String]) {
        self.variables = variables
    }

    /// The trimmed value of `name`, `nil` when unset or blank.
    public subscript(_ name: String) -> String? {
        guard let value = variables[name]?.trimmingWhitespace(), !value.isEmpty else { return nil }
        return value
    }

    /// The values of `names` when all are set, `nil` when none is, and an error naming the
    /// missing ones when only some are: a half-configured environment is a mistake worth
    /// reporting, not a reason to try the next source silently.
    public func allOrNone(_ names: [String]) throws(DNS01Error) -> [String]? {
        let values = names.map { self[$0] }
        if values.allSatisfy({ $0 == nil }) { return nil }
        let missing = zip(names, values).filter { $0.1 == nil }.map(\.0)
        guard missing.isEmpty else {
            let present = zip(names, values).filter { $0.1 != nil }.map(\.0)
            throw DNS01Error(.credentialsUnavailable, "\(present.joined(separator: " and ")) set in the environment, but not \(missing.joined(separator: " and "))")
        }
        return values.compactMap { $0 }
    }
}
