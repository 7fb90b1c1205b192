import DNS01

/// Turns a program's output into the tail of an error message: secret values replaced by
/// `<redacted>`, blank lines dropped, lines joined with " | ", and at most `limit` characters
/// (the end, where errors usually are).
public struct OutputSummary: Sendable {
    let secrets: [SecretValue]
    var limit = 600

    public init(secrets: [SecretValue], limit: Int = 600) {
        self.secrets = secrets
        self.limit = limit
    }

    /// `startsMidLine`: the capture lost the beginning of the output, so its first line is a
    /// fragment (possibly of a secret, which could then not be recognised) and is dropped.
    public func summarise(_ output: [UInt8], startsMidLine: Bool) -> String {
        var lines = String(decoding: output, as: UTF8.self).redacting(secrets).split(whereSeparator: \.isNewline)
        if startsMidLine, !lines.isEmpty { lines.removeFirst() }
        let joined = lines.map { $0.trimmingWhitespace() }.filter { !$0.isEmpty }.joined(separator: " | ")
        guard joined.count > limit else { return joined }
        return "…" + String(joined.suffix(limit - 1))
    }
}
