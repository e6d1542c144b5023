import BallastCore

/// Expiry dates of the demo venue: Fridays at 08:00 UTC (the Deribit and Bybit convention), named the Deribit way
/// (`28NOV25`).
enum DemoCalendar {
    private static let millisecondsPerDay: Int64 = 86_400_000

    /// The first Friday 08:00 UTC at least `days` days after `time`.
    static func friday(atLeast days: Int64, after time: Timestamp) -> Timestamp {
        let ms = time.millisecondsSinceEpoch + days * millisecondsPerDay
        var day = ms >= 0 ? ms / millisecondsPerDay : (ms - millisecondsPerDay + 1) / millisecondsPerDay
        // 1970-01-01 was a Thursday: (day + 3) mod 7 is 0 on Mondays, 4 on Fridays.
        while ((day + 3) % 7 + 7) % 7 != 4 { day += 1 }
        var expiry = day * millisecondsPerDay + 8 * 3_600_000
        if expiry < ms { expiry += 7 * millisecondsPerDay }
        return Timestamp(millisecondsSinceEpoch: expiry)
    }

    /// `28NOV25`: the day, the month's three letters and the year's last two digits.
    static func code(_ time: Timestamp) -> String {
        let civil = CivilTime(time)
        let months = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]
        let year = civil.year % 100
        return "\(civil.day)\(months[civil.month - 1])\(year < 10 ? "0" : "")\(year)"
    }

    /// `time` truncated to the whole second (a genesis document states its time to the second).
    static func wholeSecond(_ time: Timestamp) -> Timestamp {
        let ms = time.millisecondsSinceEpoch
        return Timestamp(millisecondsSinceEpoch: ms - ((ms % 1000) + 1000) % 1000)
    }
}
