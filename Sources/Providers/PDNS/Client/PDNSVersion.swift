/// A PowerDNS Authoritative version as `GET /api/v1/servers/<id>` reports it (`4.7.3`,
/// `4.9.12`, `5.0.2`, `4.9.0-beta1`), and what it can do.
public struct PDNSVersion: Sendable, Hashable, CustomStringConvertible {
    public let text: String
    public let major: Int
    public let minor: Int
    public let patch: Int

    /// Parses the leading `major.minor[.patch]`; `nil` when there is none.
    public init?(_ text: String) {
        self.text = text
        let numbers = text.split(whereSeparator: { !$0.isNumber && $0 != "." }).first.map { $0.split(separator: ".").compactMap { Int($0) } } ?? []
        guard numbers.count >= 2 else { return nil }
        (major, minor, patch) = (numbers[0], numbers[1], numbers.count > 2 ? numbers[2] : 0)
    }

    /// Whether the server has the single-value `EXTEND` and `PRUNE` changetypes: 4.9.12 and
    /// later 4.9 releases, 5.0.2 and later.
    public var hasSingleValueChanges: Bool {
        switch (major, minor) {
        case (4, 9): patch >= 12
        case (4, _): minor > 9
        case (5, 0): patch >= 2
        default: major >= 5
        }
    }

    public var description: String { text }
}
