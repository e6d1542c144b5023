/// A point in time, in milliseconds since 1970-01-01T00:00:00Z.
///
/// The core never reads a clock: every time it uses (snapshot time, expiry, parameter effective time) is data.
public struct Timestamp: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Milliseconds since the Unix epoch (UTC).
    public var millisecondsSinceEpoch: Int64

    /// Wraps a count of milliseconds since the Unix epoch.
    public init(millisecondsSinceEpoch: Int64) { self.millisecondsSinceEpoch = millisecondsSinceEpoch }

    /// Milliseconds in a 365-day year, the convention for annualised volatility in crypto (Deribit, √365).
    public static let millisecondsPerYear: Double = 365 * 24 * 3600 * 1000

    /// Years from `self` to `later` (negative if `later` is earlier), on a 365-day year.
    public func years(until later: Timestamp) -> Double {
        // Subtracted as Double: the Int64 difference of two far-apart times overflows (exact below 2^53 ms, 285,000 years).
        (Double(later.millisecondsSinceEpoch) - Double(millisecondsSinceEpoch)) / Timestamp.millisecondsPerYear
    }

    /// Orders by time.
    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool { lhs.millisecondsSinceEpoch < rhs.millisecondsSinceEpoch }

    /// The ISO 8601 text of the time in UTC, to the second (milliseconds when not zero).
    public var description: String { CivilTime(self).iso8601 }
}
