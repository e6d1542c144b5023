extension FixedPoint {
    /// Converts a risk figure computed in `Double` to an exact amount at `scale` decimals, rounded as asked.
    ///
    /// A `Double` carries about 16 significant digits, so a figure whose exact decimal value lies on a unit
    /// boundary (say a maintenance margin of exactly 1,340.000000) may be computed a few ulps above or below it.
    /// Rounding that noise up would charge one unit too much. A scaled value within 16 ulps (or within 10^-6 of a
    /// unit, whichever is larger) of a whole number of units is therefore taken as that whole number before the
    /// directed rounding applies; anything farther away is genuinely between two units and is rounded as asked.
    ///
    /// - Returns: `nil` if `value` is not finite or too large for the scale.
    public init?(_ value: Double, scale: Int, rounding: Rounding) {
        guard value.isFinite, scale >= 0, scale <= FixedPoint.maximumScale else { return nil }
        let scaled = value * PowersOfTen.double(scale)
        guard abs(scaled) < 1e36 else { return nil }
        let nearest = scaled.rounded(.toNearestOrEven)
        let noise = max(16 * scaled.ulp, 1e-6)
        let whole: Double
        if abs(scaled - nearest) <= noise {
            whole = nearest
        } else {
            switch rounding {
            case .up: whole = scaled.rounded(.up)
            case .down: whole = scaled.rounded(.down)
            case .towardZero: whole = scaled.rounded(.towardZero)
            case .halfEven: whole = nearest
            }
        }
        self.init(units: Int128(whole), scale: scale)
    }
}
