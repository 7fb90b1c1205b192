/// A UTC instant with whole-second precision, and the text forms AWS uses for it. Signing takes
/// one of these as input (the signer has no clock), and credential expirations parse into one.
public struct AWSTimestamp: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let secondsSince1970: Int64

    public init(secondsSince1970: Int64) {
        self.secondsSince1970 = secondsSince1970
    }

    /// `20150830T123600Z`, the `X-Amz-Date` form.
    public var amzDate: String {
        let (date, time) = civil
        return "\(pad(date.year, 4))\(pad(date.month, 2))\(pad(date.day, 2))T\(pad(time.hour, 2))\(pad(time.minute, 2))\(pad(time.second, 2))Z"
    }

    /// `20150830`, the date of the credential scope.
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

    public static func < (lhs: AWSTimestamp, rhs: AWSTimestamp) -> Bool { lhs.secondsSince1970 < rhs.secondsSince1970 }

    public static func + (lhs: AWSTimestamp, seconds: Int64) -> AWSTimestamp {
        AWSTimestamp(secondsSince1970: lhs.secondsSince1970 + seconds)
    }

    /// Parses the ISO 8601 forms AWS answers with (`2015-08-30T12:36:00Z`,
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
        let days = Self.daysFromCivil(year: year, month: month, day: day)
        secondsSince1970 = Int64(days) * 86_400 + Int64(hour * 3600 + minute * 60 + second - offset)
    }

    private var civil: (date: (year: Int, month: Int, day: Int), time: (hour: Int, minute: Int, second: Int)) {
        let days = Int(secondsSince1970.floorDivided(by: 86_400))
        let secondOfDay = Int(secondsSince1970 - Int64(days) * 86_400)
        return (Self.civilFromDays(days), (secondOfDay / 3600, secondOfDay % 3600 / 60, secondOfDay % 60))
    }

    // Howard Hinnant's days_from_civil / civil_from_days: proleptic Gregorian, no tables.
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    static func civilFromDays(_ days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    private func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }
}

extension Int64 {
    fileprivate func floorDivided(by divisor: Int64) -> Int64 {
        let quotient = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }
}
