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
        guard value.isFinite, scale >= 0, scale <= FixedPoint.maximumScale,
              let units = FixedPoint.units(scaled: value * PowersOfTen.double(scale), rounding: rounding) else { return nil }
        self.init(units: units, scale: scale)
    }

    /// The units of ``init(_:scale:rounding:)`` from the value already multiplied by 10^scale: `nil` if it is not
    /// finite or not below 10^36 in magnitude.
    @inline(__always)
    static func units(scaled: Double, rounding: Rounding) -> Int128? {
        guard abs(scaled) < 1e36 else { return nil }
        if abs(scaled) < 4.0e18 {
            // Fast path: whole numbers through the hardware integer conversion (no libm rounding call), and selects
            // rather than branches on the fraction, which is as good as random (|floor| < 4·10^18, so ±1 cannot overflow).
            let truncated = Int64(scaled)
            let floor = truncated &- (Double(truncated) > scaled ? 1 : 0)
            let fraction = scaled - Double(floor)
            let above: Int64 = fraction > 0.5 ? 1 : 0
            let tie: Int64 = fraction == 0.5 ? floor & 1 : 0
            let nearest = floor &+ (above | tie)
            let units: Int64
            if abs(scaled - Double(nearest)) <= FixedPoint.noise(scaled) {
                units = nearest
            } else {
                switch rounding {
                case .up: units = floor &+ (fraction > 0 ? 1 : 0)
                case .down: units = floor
                case .towardZero: units = truncated
                case .halfEven: units = nearest
                }
            }
            return Int128(units)
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
        return Int128(whole: whole)
    }
}
