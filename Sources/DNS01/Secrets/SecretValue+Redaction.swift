extension StringProtocol {
    /// The text with every occurrence of each secret value replaced by `<redacted>`, for
    /// messages that quote what another program or server said (it may echo a token back).
    /// Values shorter than four characters are left alone: replacing every "1" would garble
    /// the message and protect nothing.
    public func redacting(_ secrets: [SecretValue]) -> String {
        var candidates: Set<String> = []
        for secret in secrets {
            for text in [String(decoding: secret.bytes, as: UTF8.self), secret.text] where text.count >= 4 {
                candidates.insert(text)
            }
        }
        var result = String(self)
        // Longest first, so a secret that contains another is replaced whole.
        for secret in candidates.sorted(by: { $0.count > $1.count }) {
            result = result.replacing(secret, with: "<redacted>")
        }
        return result
    }
}
