/// An exact decimal number: `units × 10^-scale`, with `units` a signed 128-bit integer.
///
/// This is the representation of every ledger amount (balances, sizes, fees, realised PnL) and of every
/// figure a report shows as money. Arithmetic is exact; the only operations that can lose digits are
/// ``rescaled(to:rounding:)`` and the conversion from `Double`, and both take an explicit ``Rounding``.
///
/// The scale is at most ``maximumScale`` (18 decimals) and magnitudes are bounded by ``maximumMagnitude``
/// at input, so that the products Ballast forms (size × price × multiplier) cannot overflow `Int128`.
public struct FixedPoint: Sendable, Hashable {
    /// The integer count of `10^-scale`.
    public var units: Int128
    /// The number of decimals: the value is `units / 10^scale`.
    public var scale: Int

    /// The largest scale Ballast accepts (18 decimals).
    public static let maximumScale = 18
    /// The largest magnitude an input amount may have, in whole units (10^18).
    public static let maximumMagnitude: Int128 = 1_000_000_000_000_000_000

    /// Creates a value of `units × 10^-scale`.
    /// - Precondition: `0 ≤ scale ≤ maximumProductScale` (36).
    public init(units: Int128, scale: Int) {
        precondition(scale >= 0 && scale <= FixedPoint.maximumProductScale, "FixedPoint scale out of range")
        self.units = units
        self.scale = scale
    }

    /// Zero at the given scale.
    public static func zero(scale: Int) -> FixedPoint { FixedPoint(units: 0, scale: scale) }

    /// Whether the value is zero.
    public var isZero: Bool { units == 0 }

    /// The sign of the value: −1, 0 or 1.
    public var signum: Int { units > 0 ? 1 : (units < 0 ? -1 : 0) }

    /// The nearest `Double` (risk maths only: never feed it back into the ledger without a named rounding).
    public var doubleValue: Double { Double(nearest: units) / PowersOfTen.double(scale) }

    /// The value at a finer scale (exact) or a coarser one (rounded as asked).
    /// - Returns: `nil` if a finer scale would overflow `Int128`.
    public func rescaled(to newScale: Int, rounding: Rounding) -> FixedPoint? {
        if newScale == scale { return self }
        if newScale > scale {
            let (product, overflow) = units.multipliedReportingOverflow(by: PowersOfTen.int128(newScale - scale))
            return overflow ? nil : FixedPoint(units: product, scale: newScale)
        }
        let divisor = PowersOfTen.int128(scale - newScale)
        return FixedPoint(units: IntegerDivision.divide(units, by: divisor, rounding: rounding), scale: newScale)
    }

    /// Whether the value is an exact multiple of `10^-decimals`, i.e. needs no more than `decimals` decimals.
    public func fits(decimals: Int) -> Bool {
        if decimals >= scale { return true }
        return units % PowersOfTen.int128(scale - decimals) == 0
    }

    /// The exact sum, at the larger of the two scales.
    public static func + (lhs: FixedPoint, rhs: FixedPoint) -> FixedPoint {
        let s = max(lhs.scale, rhs.scale)
        return FixedPoint(units: lhs.aligned(to: s) + rhs.aligned(to: s), scale: s)
    }

    /// The exact difference, at the larger of the two scales.
    public static func - (lhs: FixedPoint, rhs: FixedPoint) -> FixedPoint {
        let s = max(lhs.scale, rhs.scale)
        return FixedPoint(units: lhs.aligned(to: s) - rhs.aligned(to: s), scale: s)
    }

    /// The negated value.
    public static prefix func - (value: FixedPoint) -> FixedPoint { FixedPoint(units: -value.units, scale: value.scale) }

    /// The exact product; its scale is the sum of the two scales.
    public static func * (lhs: FixedPoint, rhs: FixedPoint) -> FixedPoint {
        FixedPoint(units: lhs.units * rhs.units, scale: lhs.scale + rhs.scale)
    }

    /// The product at its exact scale (the sum of both), or at ``maximumProductScale`` rounded as `rounding` says when
    /// that sum is finer; `nil` when the units overflow `Int128`. The checked counterpart of `*`, for amounts that come
    /// from input.
    public func multiplied(by other: FixedPoint, rounding: Rounding) -> FixedPoint? {
        let (product, overflow) = units.multipliedReportingOverflow(by: other.units)
        guard !overflow else { return nil }
        let productScale = scale + other.scale
        guard productScale > Self.maximumProductScale else { return FixedPoint(units: product, scale: productScale) }
        // Divided before a value is made: a `FixedPoint` cannot hold the finer scale even for a moment.
        let divisor = PowersOfTen.int128(productScale - Self.maximumProductScale)
        return FixedPoint(units: IntegerDivision.divide(product, by: divisor, rounding: rounding), scale: Self.maximumProductScale)
    }

    /// The finest scale ``multiplied(by:rounding:)`` keeps: that of a product of two values at ``maximumScale``.
    public static let maximumProductScale = 2 * maximumScale

    /// The magnitude.
    public var magnitude: FixedPoint { FixedPoint(units: units < 0 ? -units : units, scale: scale) }

    /// The units at a scale at least as fine as this one (exact).
    func aligned(to newScale: Int) -> Int128 {
        newScale == scale ? units : units * PowersOfTen.int128(newScale - scale)
    }
}

extension FixedPoint: Comparable {
    /// Compares the exact values, whatever the scales.
    public static func < (lhs: FixedPoint, rhs: FixedPoint) -> Bool {
        let s = max(lhs.scale, rhs.scale)
        return lhs.aligned(to: s) < rhs.aligned(to: s)
    }

    /// Equality of values (1.50 equals 1.5), not of representations.
    public static func == (lhs: FixedPoint, rhs: FixedPoint) -> Bool {
        let s = max(lhs.scale, rhs.scale)
        return lhs.aligned(to: s) == rhs.aligned(to: s)
    }

    /// Hashes the value in a scale-independent way, consistent with `==`.
    public func hash(into hasher: inout Hasher) {
        var u = units
        var s = scale
        while s > 0 && u % 10 == 0 { u /= 10; s -= 1 }
        hasher.combine(u)
        hasher.combine(s)
    }
}
