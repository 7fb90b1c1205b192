import AggregatedAPIServer
import Logging

/// The process's logging, the same for `serve` and the CLI commands: lines on stderr as text or
/// JSON, at `level`, each written during a request carrying its `audit-id`.
public enum WebhookLogging {
    public enum Format: String, Sendable {
        case text, json
    }

    /// Bootstraps swift-log (once per process) and returns the process's logger.
    public static func bootstrap(format: Format, level: Logger.Level) -> Logger {
        LoggingSystem.bootstrap { label in
            switch format {
            case .json:
                var handler = JSONLogHandler(label: label, level: level)
                handler.metadataProvider = RequestLogMetadata.provider
                return handler
            case .text:
                var handler = StreamLogHandler.standardError(label: label, metadataProvider: RequestLogMetadata.provider)
                handler.logLevel = level
                return handler
            }
        }
        return Logger(label: "dns01-webhook")
    }
}
