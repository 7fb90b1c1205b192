import DNS01
import Foundation
import Logging
import Synchronization

/// One JSON object per line on stderr (`--log-format=json`), the shape log pipelines expect:
/// `{"time":…,"level":…,"logger":…,"msg":…, <metadata>}`. Metadata keys are written as given;
/// callers put request ids (`audit-id`) there and never secrets.
public struct JSONLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    public var logLevel: Logger.Level
    private let label: String
    private let output: LineWriter

    public init(label: String, level: Logger.Level, output: LineWriter = .standardError) {
        self.label = label
        self.logLevel = level
        self.output = output
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var fields = metadata
        if let provided = metadataProvider?.get() { fields.merge(provided) { _, new in new } }
        if let extra = event.metadata { fields.merge(extra) { _, new in new } }
        var line = "{\"time\":\(Self.quote(Date().formatted(Self.timeFormat))),"
        line += "\"level\":\(Self.quote(event.level.rawValue)),\"logger\":\(Self.quote(label)),\"msg\":\(Self.quote(event.message.description))"
        for key in fields.keys.sorted() where !["time", "level", "logger", "msg"].contains(key) {
            line += ",\(Self.quote(key)):\(Self.json(fields[key]!))"
        }
        line += "}\n"
        output.write(line)
    }

    private static let timeFormat = Date.ISO8601FormatStyle(includingFractionalSeconds: true)

    static func json(_ value: Logger.Metadata.Value) -> String {
        switch value {
        case .string(let text): quote(text)
        case .stringConvertible(let convertible): quote(convertible.description)
        case .array(let values): "[" + values.map(json).joined(separator: ",") + "]"
        case .dictionary(let values): "{" + values.keys.sorted().map { "\(quote($0)):\(json(values[$0]!))" }.joined(separator: ",") + "}"
        }
    }

    static func quote(_ text: String) -> String { DNS01.JSONText.quoted(text) }
}

/// Writes whole lines to a file descriptor under a lock, so concurrent log lines never interleave.
public final class LineWriter: Sendable {
    private let lock = Mutex<Void>(())
    private let handle: FileHandle

    public init(handle: FileHandle) { self.handle = handle }

    public static let standardError = LineWriter(handle: .standardError)

    public func write(_ line: String) {
        lock.withLock { _ in handle.write(Data(line.utf8)) }
    }
}
