extension FixedPoint {
    /// The decimal a price feed meant by a `Double`: the one with the fewest decimals, at most `maxScale`, whose
    /// nearest `Double` is `value` (what `value.description` prints), or `nil` when there is none with at most
    /// `maxScale` decimals and at most 15 significant digits (a computed figure rather than a quoted price).
    ///
    /// For k = 0, 1, … the only candidate at scale k is n = round(value·10^k), and n·10^-k rounds to `value` exactly
    /// when the correctly rounded quotient n / 10^k equals it (n and 10^k are exact doubles). The candidate is the
    /// right one while |value·10^k| < 2^50 (15 significant digits): the product's rounding error (≤ 1/8) and the
    /// distance from `value` to the decimal (≤ ulp(value)/2 · 10^k ≤ 1/4) cannot move it to another integer. No text
    /// is formatted or parsed, so a price tick converts thousands of marks in microseconds.
    public static func shortestDecimal(_ value: Double, maxScale: Int) -> FixedPoint? {
        guard value.isFinite, maxScale >= 0 else { return nil }
        for k in 0...min(maxScale, 22) {
            let power = PowersOfTen.double(k)
            let scaled = value * power
            guard abs(scaled) < 0x1p50 else { return nil }
            let n = scaled.rounded()
            if n / power == value { return FixedPoint(units: Int128(n), scale: k) }
        }
        return nil
    }
}
