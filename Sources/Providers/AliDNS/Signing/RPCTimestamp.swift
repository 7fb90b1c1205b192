import ProviderKit

/// The `Timestamp` parameter: `yyyy-MM-ddTHH:mm:ssZ` in UTC, and back (ProviderKit's
/// `UTCTimestamp`, with the RPC API's one strict form).
public enum RPCTimestamp {
    /// Formats whole seconds since 1970-01-01T00:00:00Z.
    public static func string(fromEpochSeconds seconds: Int64) -> String {
        UTCTimestamp(secondsSince1970: seconds).iso8601
    }

    /// Parses `yyyy-MM-ddTHH:mm:ssZ` (as STS writes `Expiration`) to seconds since the epoch.
    public static func epochSeconds(from text: String) -> Int64? {
        let bytes = Array(text.utf8)
        guard bytes.count == 20, bytes[10] == UInt8(ascii: "T"), bytes[19] == UInt8(ascii: "Z") else { return nil }
        return UTCTimestamp(iso8601: text)?.secondsSince1970
    }
}
