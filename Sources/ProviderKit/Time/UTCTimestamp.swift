#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A UTC instant with whole-second precision, and the text forms cloud APIs use for it. Signers
/// take one as input (a signer has no clock), and credential expirations parse into one. Written
/// by hand rather than with a date formatter so it is exact, allocation-light and independent
/// of the pod's locale and time zone.
public struct UTCTimestamp: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let secondsSince1970: Int64

    public init(secondsSince1970: Int64) {
        self.secondsSince1970 = secondsSince1970
    }

    /// `20150830T123600Z`: ISO 8601's basic form (AWS's `X-Amz-Date`, Huawei's `X-Sdk-Date`).
    public var basicDateTime: String {
        let (date, time) = civil
        return "\(pad(date.year, 4))\(pad(date.month, 2))\(pad(date.day, 2))T\(pad(time.hour, 2))\(pad(time.minute, 2))\(pad(time.second, 2))Z"
    }

    /// `20150830`, the date of a credential scope.
    public var dateStamp: String {
        let (date, _) = civil
        return "\(pad(date.year, 4))\(pad(date.month, 2))\(pad(date.day, 2))"
    }

    /// `2015-08-30T12:36:00Z`.
    public var iso8601: String {
        let (date, time) = civil
        return "\(pad(date.year, 4))-\(pad(date.month, 2))-\(pad(date.day, 2))T\(pad(time.hour, 2)):\(pad(time.minute, 2)):\(pad(time.second, 2))Z"
    }

    public var description: String { iso8601 }

    public static func < (lhs: UTCTimestamp, rhs: UTCTimestamp) -> Bool { lhs.secondsSince1970 < rhs.secondsSince1970 }

    public static func + (lhs: UTCTimestamp, seconds: Int64) -> UTCTimestamp {
        UTCTimestamp(secondsSince1970: lhs.secondsSince1970 + seconds)
    }

    /// Parses the ISO 8601 forms APIs answer with (`2015-08-30T12:36:00Z`,
    /// `2015-08-30T12:36:00.123456Z`, `2015-08-30T12:36:00+00:00`); fractions are dropped.
    public init?(iso8601 text: String) {
        let bytes = Array(text.utf8)
        func number(_ range: Range<Int>) -> Int? {
            guard range.upperBound <= bytes.count else { return nil }
            var value = 0
            for byte in bytes[range] {
                guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
            }
            return value
        }
        guard bytes.count >= 19, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
              bytes[10] == UInt8(ascii: "T") || bytes[10] == UInt8(ascii: " "),
              bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":"),
              let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
              let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19),
              (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second <= 60
        else { return nil }
        var index = 19
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") { index += 1 }
        }
        var offset = 0
        if index == bytes.count || bytes[index] == UInt8(ascii: "Z") {
            index += index == bytes.count ? 0 : 1
        } else if bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
            guard let hours = number(index + 1..<index + 3), bytes.count > index + 3, bytes[index + 3] == UInt8(ascii: ":"),
                  let minutes = number(index + 4..<index + 6) else { return nil }
            offset = (hours * 3600 + minutes * 60) * (bytes[index] == UInt8(ascii: "+") ? 1 : -1)
            index += 6
        }
        guard index == bytes.count else { return nil }
        let days = CivilCalendar.daysSinceEpoch(year: year, month: month, day: day)
        secondsSince1970 = Int64(days) * 86_400 + Int64(hour * 3600 + minute * 60 + second - offset)
    }

    private var civil: (date: (year: Int, month: Int, day: Int), time: (hour: Int, minute: Int, second: Int)) {
        let days = Int(secondsSince1970.floorDivided(by: 86_400))
        let secondOfDay = Int(secondsSince1970 - Int64(days) * 86_400)
        return (CivilCalendar.date(fromDaysSinceEpoch: days), (secondOfDay / 3600, secondOfDay % 3600 / 60, secondOfDay % 60))
    }

    private func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }
}

extension UTCTimestamp {
    /// The system's wall clock (injectable where it is read, so signers and tests stay pure).
    public static let now: @Sendable () -> UTCTimestamp = {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return UTCTimestamp(secondsSince1970: Int64(spec.tv_sec))
    }
}

extension Int64 {
    fileprivate func floorDivided(by divisor: Int64) -> Int64 {
        let quotient = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }
}
