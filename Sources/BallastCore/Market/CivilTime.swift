/// Conversion between ``Timestamp`` and the UTC calendar, without Foundation (proleptic Gregorian calendar;
/// days-from-civil algorithm of H. Hinnant, "chrono-Compatible Low-Level Date Algorithms").
public struct CivilTime: Sendable, Hashable {
    /// Calendar year.
    public var year: Int
    /// Month, 1–12.
    public var month: Int
    /// Day of month, 1–31.
    public var day: Int
    /// Hour, 0–23.
    public var hour: Int
    /// Minute, 0–59.
    public var minute: Int
    /// Second, 0–59.
    public var second: Int
    /// Millisecond, 0–999.
    public var millisecond: Int

    /// The calendar fields of a timestamp in UTC.
    public init(_ timestamp: Timestamp) {
        let ms = timestamp.millisecondsSinceEpoch
        // Floor division by a day through the remainder, which cannot overflow for any Int64.
        let remainder = ms % 86_400_000
        var days = ms / 86_400_000 - (remainder < 0 ? 1 : 0)
        let msOfDay = Int(remainder < 0 ? remainder + 86_400_000 : remainder)
        hour = msOfDay / 3_600_000
        minute = (msOfDay / 60_000) % 60
        second = (msOfDay / 1000) % 60
        millisecond = msOfDay % 1000
        days += 719_468
        let era = (days >= 0 ? days : days - 146_096) / 146_097
        let dayOfEra = days - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        day = Int(dayOfYear - (153 * mp + 2) / 5 + 1)
        month = Int(mp < 10 ? mp + 3 : mp - 9)
        year = Int(yearOfEra + era * 400) + (month <= 2 ? 1 : 0)
    }

    /// Creates calendar fields; ``timestamp`` validates them.
    public init(year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0, second: Int = 0, millisecond: Int = 0) {
        (self.year, self.month, self.day) = (year, month, day)
        (self.hour, self.minute, self.second, self.millisecond) = (hour, minute, second, millisecond)
    }

    /// The timestamp of these fields in UTC, or `nil` if a field is out of range (month 13, 31 April, hour 24, …).
    public var timestamp: Timestamp? {
        guard (1...12).contains(month), (0...23).contains(hour), (0...59).contains(minute),
              (0...60).contains(second), (0...999).contains(millisecond), abs(year) < 1_000_000
        else { return nil }
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
        let monthDays = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        guard (1...monthDays[month - 1]).contains(day) else { return nil }
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let m = Int64(month)
        let dayOfYear = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + Int64(day) - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        let days = era * 146_097 + dayOfEra - 719_468
        let ms = days * 86_400_000 + Int64(hour) * 3_600_000 + Int64(minute) * 60_000 + Int64(second) * 1000 + Int64(millisecond)
        return Timestamp(millisecondsSinceEpoch: ms)
    }

    /// `YYYY-MM-DDThh:mm:ssZ`, or `YYYY-MM-DDThh:mm:ss.sssZ` when the milliseconds are not zero; each field is its
    /// decimal text zero-padded to its width (a wider one is written whole). The text is built in a stack buffer.
    public var iso8601: String {
        // Seven fields of at most 20 characters each (a sign and 19 digits) and their separators.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 160) { buffer in
            var end = 0
            func put(_ byte: Unicode.Scalar) {
                buffer[end] = UInt8(ascii: byte)
                end += 1
            }
            /// Zeros up to `width`, then the value's text ("-5" at width 4 is "00-5", as zero-padding a String gives).
            func put(_ value: Int, width: Int) {
                var digits = 1
                var rest = value.magnitude / 10
                while rest > 0 {
                    digits += 1
                    rest /= 10
                }
                let length = digits + (value < 0 ? 1 : 0)
                for _ in 0..<max(0, width - length) { put("0") }
                if value < 0 { put("-") }
                var magnitude = value.magnitude
                for k in stride(from: digits - 1, through: 0, by: -1) {
                    buffer[end + k] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                    magnitude /= 10
                }
                end += digits
            }
            put(year, width: 4)
            put("-")
            put(month, width: 2)
            put("-")
            put(day, width: 2)
            put("T")
            put(hour, width: 2)
            put(":")
            put(minute, width: 2)
            put(":")
            put(second, width: 2)
            if millisecond != 0 {
                put(".")
                put(millisecond, width: 3)
            }
            put("Z")
            return String(decoding: UnsafeBufferPointer(rebasing: buffer[..<end]), as: UTF8.self)
        }
    }

    /// Parses `YYYY-MM-DD`, `YYYY-MM-DDThh:mm[:ss[.sss]]Z` (or with `+00:00`) as UTC.
    public static func parse(_ text: String) -> Timestamp? {
        var body = Substring(text)
        if body.hasSuffix("Z") { body = body.dropLast() } else if body.hasSuffix("+00:00") { body = body.dropLast(6) }
        let parts = body.split(separator: "T", omittingEmptySubsequences: false)
        guard parts.count == 1 || parts.count == 2 else { return nil }
        let date = parts[0].split(separator: "-", omittingEmptySubsequences: false)
        guard date.count == 3, date[0].count == 4, date[1].count == 2, date[2].count == 2,
              let year = Int(date[0]), let month = Int(date[1]), let day = Int(date[2]) else { return nil }
        var fields = CivilTime(year: year, month: month, day: day)
        if parts.count == 2 {
            let clock = parts[1].split(separator: ":", omittingEmptySubsequences: false)
            guard clock.count == 2 || clock.count == 3, clock[0].count == 2, clock[1].count == 2,
                  let hour = Int(clock[0]), let minute = Int(clock[1]) else { return nil }
            fields.hour = hour
            fields.minute = minute
            if clock.count == 3 {
                let secondParts = clock[2].split(separator: ".", omittingEmptySubsequences: false)
                guard secondParts[0].count == 2, let second = Int(secondParts[0]) else { return nil }
                fields.second = second
                if secondParts.count == 2 {
                    let fraction = secondParts[1]
                    guard (1...3).contains(fraction.count), let value = Int(fraction) else { return nil }
                    fields.millisecond = value * [1, 100, 10, 1][fraction.count]
                } else if secondParts.count > 2 {
                    return nil
                }
            }
        }
        return fields.timestamp
    }
}
