extension FixedPoint {
    /// The distance from a whole number below which a scaled `Double` is taken as that whole number:
    /// max(|x|·16·2^-52, 10^-6).
    @inline(__always)
    static func noise(_ scaled: Double) -> Double { max(abs(scaled) * 3.552_713_678_800_501e-15, 1e-6) }

    /// Converts a risk figure computed in `Double` to an exact amount at `scale` decimals, rounded as asked.
    ///
    /// A `Double` carries about 16 significant digits, so a figure whose exact decimal value lies on a unit
    /// boundary (say a maintenance margin of exactly 1,340.000000) may be computed a few ulps above or below it.
    /// Rounding that noise up would charge one unit too much. A scaled value within |x|·16·2^-52 (about 16 ulps) or
    /// within 10^-6 of a unit, whichever is larger, of a whole number of units is therefore taken as that whole number
    /// before the directed rounding applies; anything farther away is genuinely between two units and is rounded as asked.
    ///
    /// - Returns: `nil` if `value` is not finite or too large for the scale.
    public init?(_ value: Double, scale: Int, rounding: Rounding) {
        guard value.isFinite, scale >= 0, scale <= FixedPoint.maximumScale else { return nil }
        let scaled = value * PowersOfTen.double(scale)
        guard abs(scaled) < 1e36 else { return nil }
        if abs(scaled) < 4.0e18 {
            // Fast path: whole numbers through the hardware integer conversion (no libm rounding call).
            let truncated = Int64(scaled)
            let floor = Double(truncated) > scaled ? truncated - 1 : truncated
            let fraction = scaled - Double(floor)
            let nearest = fraction > 0.5 || (fraction == 0.5 && floor & 1 == 1) ? floor + 1 : floor
            let noise = FixedPoint.noise(scaled)
            let units: Int64
            if abs(scaled - Double(nearest)) <= noise {
                units = nearest
            } else {
                switch rounding {
                case .up: units = fraction > 0 ? floor + 1 : floor
                case .down: units = floor
                case .towardZero: units = truncated
                case .halfEven: units = nearest
                }
            }
            self.init(units: Int128(units), scale: scale)
            return
        }
        let nearest = scaled.rounded(.toNearestOrEven)
        let noise = FixedPoint.noise(scaled)
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
        self.init(units: Int128(whole: whole), scale: scale)
    }
}
