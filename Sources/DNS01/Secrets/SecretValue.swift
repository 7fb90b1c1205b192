/// The bytes of a secret, which print as `<redacted>` everywhere: in logs, in string
/// interpolation, in `dump`, in error messages. Read it only through `bytes` or `text`.
public struct SecretValue: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public let bytes: [UInt8]

    public init(bytes: [UInt8]) { self.bytes = bytes }
    public init(_ text: String) { self.bytes = Array(text.utf8) }

    /// The value as UTF-8 text with surrounding whitespace removed (a trailing newline from
    /// `echo … | base64` is the most common way a Secret is written wrong).
    public var text: String { String(decoding: bytes, as: UTF8.self).trimmingWhitespace() }

    public var isEmpty: Bool { text.isEmpty }

    public var description: String { "<redacted>" }
    public var debugDescription: String { "<redacted>" }
    public var customMirror: Mirror { Mirror(self, children: []) }
}
