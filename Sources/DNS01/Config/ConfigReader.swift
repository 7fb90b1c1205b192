/// Reads one config object field by field, so that every error names its field path and every
/// unknown field is reported (a misspelt key is the most common config mistake users make).
///
/// ```swift
/// var reader = try ConfigReader(block, at: path)
/// let region = try reader.optionalString("region")
/// let secret = try reader.secretReference("secretAccessKeySecretRef")
/// try reader.finish()           // rejects fields nobody read
/// ```
public struct ConfigReader: Sendable {
    public let path: ConfigPath
    private let fields: [String: ConfigValue]
    /// The fields read so far, in order: a short array costs far less than hashing every key
    /// into a set (the ChallengePayload decoder reads its fields with this type, per request).
    private var consumed: [String] = []

    public init(_ value: ConfigValue, at path: ConfigPath) throws(DNS01Error) {
        switch value {
        case .object(let fields):
            self.fields = fields
            consumed.reserveCapacity(fields.count)
        case .null: self.fields = [:]
        default: throw DNS01Error.invalidConfiguration(at: path, "must be an object, got \(value.kindName)")
        }
        self.path = path
    }

    /// The names of the fields present.
    public var keys: [String] { fields.keys.sorted() }

    public func contains(_ key: String) -> Bool { fields[key] != nil && fields[key] != .null }

    /// The raw value of a field (marking it read), or `nil` when absent or `null`.
    public mutating func optionalValue(_ key: String) -> ConfigValue? {
        consumed.append(key)
        guard let value = fields[key], value != .null else { return nil }
        return value
    }

    public mutating func value(_ key: String) throws(DNS01Error) -> ConfigValue {
        guard let value = optionalValue(key) else { throw missing(key) }
        return value
    }

    public mutating func optionalString(_ key: String) throws(DNS01Error) -> String? {
        guard let value = optionalValue(key) else { return nil }
        guard case .string(let text) = value else { throw wrongType(key, expected: "a string", got: value) }
        return text
    }

    /// A required, non-empty string.
    public mutating func string(_ key: String) throws(DNS01Error) -> String {
        guard let text = try optionalString(key), !text.isEmpty else { throw missing(key) }
        return text
    }

    public mutating func optionalBool(_ key: String) throws(DNS01Error) -> Bool? {
        guard let value = optionalValue(key) else { return nil }
        guard case .bool(let flag) = value else { throw wrongType(key, expected: "true or false", got: value) }
        return flag
    }

    /// An optional whole number within `range`.
    public mutating func optionalInt(_ key: String, in range: ClosedRange<Int>) throws(DNS01Error) -> Int? {
        guard let value = optionalValue(key) else { return nil }
        guard case .number(let number) = value, number.rounded() == number, abs(number) < 1e15 else {
            throw wrongType(key, expected: "a whole number", got: value)
        }
        let int = Int(number)
        guard range.contains(int) else {
            throw DNS01Error.invalidConfiguration(at: path.appending(key), "must be between \(range.lowerBound) and \(range.upperBound), got \(int)")
        }
        return int
    }

    /// An optional duration written as seconds (`30`) or with a unit (`30s`, `2m`, `1500ms`, `1h`).
    public mutating func optionalDuration(_ key: String) throws(DNS01Error) -> Duration? {
        guard let value = optionalValue(key) else { return nil }
        switch value {
        case .number(let seconds):
            guard let duration = Duration(configSeconds: seconds) else {
                throw DNS01Error.invalidConfiguration(at: path.appending(key), "must be a duration of 0 to \(Int64(Duration.configMaximumSeconds)) seconds, got \(seconds)")
            }
            return duration
        case .string(let text):
            guard let duration = Duration(configText: text) else {
                throw DNS01Error.invalidConfiguration(at: path.appending(key), "must be a duration such as \"30s\", \"2m\" or \"1500ms\", got \"\(text)\"")
            }
            return duration
        default:
            throw wrongType(key, expected: "a duration such as \"30s\"", got: value)
        }
    }

    public mutating func optionalStringList(_ key: String) throws(DNS01Error) -> [String]? {
        guard let value = optionalValue(key) else { return nil }
        guard case .array(let items) = value else { throw wrongType(key, expected: "a list of strings", got: value) }
        var strings: [String] = []
        for (index, item) in items.enumerated() {
            guard case .string(let text) = item else {
                throw DNS01Error.invalidConfiguration(at: path.appending(key).appending(index: index), "must be a string, got \(item.kindName)")
            }
            strings.append(text)
        }
        return strings
    }

    /// An optional `{name, key}` reference to a Secret in the challenge's namespace.
    public mutating func optionalSecretReference(_ key: String) throws(DNS01Error) -> SecretReference? {
        guard let value = optionalValue(key) else { return nil }
        var reader = try ConfigReader(value, at: path.appending(key))
        let name = try reader.string("name")
        let secretKey = try reader.string("key")
        try reader.finish()
        return SecretReference(name: name, key: secretKey)
    }

    public mutating func secretReference(_ key: String) throws(DNS01Error) -> SecretReference {
        guard let reference = try optionalSecretReference(key) else { throw missing(key) }
        return reference
    }

    /// A reader for a nested object (`nil` when the field is absent).
    public mutating func optionalObject(_ key: String) throws(DNS01Error) -> ConfigReader? {
        guard let value = optionalValue(key) else { return nil }
        guard case .object = value else { throw wrongType(key, expected: "an object", got: value) }
        return try ConfigReader(value, at: path.appending(key))
    }

    /// Fails on any field that was not read, suggesting the closest known name.
    public func finish() throws(DNS01Error) {
        let unknown = fields.keys.filter { !consumed.contains($0) }.sorted()
        guard let first = unknown.first else { return }
        let read = Set(consumed)
        var message = "has an unknown field \"\(first)\""
        if let suggestion = Self.closest(to: first, among: read) {
            message += " (did you mean \"\(suggestion)\"?)"
        } else if !read.isEmpty {
            message += " (known fields: \(read.sorted().joined(separator: ", ")))"
        }
        throw DNS01Error.invalidConfiguration(at: path, message)
    }

    public func missing(_ key: String) -> DNS01Error {
        DNS01Error.invalidConfiguration(at: path.appending(key), "is required")
    }

    private func wrongType(_ key: String, expected: String, got value: ConfigValue) -> DNS01Error {
        DNS01Error.invalidConfiguration(at: path.appending(key), "must be \(expected), got \(value.kindName)")
    }

    /// The known name within edit distance 2 of `name`, case-insensitively.
    static func closest(to name: String, among candidates: Set<String>) -> String? {
        let target = Array(name.lowercased())
        var best: (String, Int)?
        for candidate in candidates.sorted() {
            let distance = editDistance(target, Array(candidate.lowercased()))
            if distance <= 2, distance < (best?.1 ?? .max) { best = (candidate, distance) }
        }
        return best?.0
    }

    private static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
        var previous = Array(0...b.count)
        for (i, ca) in a.enumerated() {
            var current = [i + 1] + Array(repeating: 0, count: b.count)
            for (j, cb) in b.enumerated() {
                current[j + 1] = Swift.min(previous[j + 1] + 1, current[j] + 1, previous[j] + (ca == cb ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}

extension Duration {
    /// The longest duration a config may give (about 31 years): a longer one is a typo, and
    /// would overflow `Duration`'s arithmetic.
    public static let configMaximumSeconds: Double = 1_000_000_000

    /// Parses `30`, `30s`, `1500ms`, `2m`, `1h`, `1m30s` (Go/Kubernetes style durations), to
    /// the millisecond; `nil` for anything else, and for negative, infinite or longer than
    /// `configMaximumSeconds`.
    public init?(configText text: String) {
        let trimmed = text.trimmingWhitespace()
        var seconds: Double = 0
        if let bare = Double(trimmed) {
            seconds = bare
        } else {
            var number = ""
            var rest = Substring(trimmed)
            guard !rest.isEmpty else { return nil }
            while let character = rest.first {
                if character.isNumber || character == "." {
                    number.append(character)
                    rest = rest.dropFirst()
                    continue
                }
                guard let value = Double(number) else { return nil }
                let unit: Double
                if rest.hasPrefix("ms") {
                    unit = 0.001
                    rest = rest.dropFirst(2)
                } else if rest.hasPrefix("s") {
                    unit = 1
                    rest = rest.dropFirst()
                } else if rest.hasPrefix("m") {
                    unit = 60
                    rest = rest.dropFirst()
                } else if rest.hasPrefix("h") {
                    unit = 3600
                    rest = rest.dropFirst()
                } else {
                    return nil
                }
                seconds += value * unit
                number = ""
            }
            guard number.isEmpty else { return nil }
        }
        self.init(configSeconds: seconds)
    }

    /// `seconds` to the millisecond; `nil` when negative, not finite or longer than
    /// `configMaximumSeconds`.
    public init?(configSeconds seconds: Double) {
        guard seconds.isFinite, seconds >= 0, seconds <= Self.configMaximumSeconds else { return nil }
        self = .milliseconds(Int64((seconds * 1000).rounded()))
    }
}

extension StringProtocol {
    /// The text without leading and trailing spaces, tabs and newlines.
    public func trimmingWhitespace() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard let start = firstIndex(where: { !isSpace($0) }), let end = lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[start...end])
    }
}
