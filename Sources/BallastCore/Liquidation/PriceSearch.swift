/// Finds the nearest price multiplier at which a pool's margin function changes sign.
///
/// The pool function f(λ) (equity − maintenance for a liquidation price, equity for a bankruptcy price) is
/// evaluated with the underlying at λ × its snapshot price. From λ = 1 the search steps outward in one direction
/// (2 % steps, growing by a quarter after the first 25 so that it reaches 10^-9 or 10^9 within ~150 steps) until f
/// changes sign, then bisects the bracket to 10^-15 relative. Because MM is continuous across tiers, f is continuous
/// and a sign change brackets a root; the first bracket found is the nearest root in that direction. No sign change
/// before 10^-9 (down) or 10^9 (up) means no price in that direction reaches the threshold.
public enum PriceSearch {
    /// Which way the price moves.
    public enum Direction: Sendable, Hashable {
        /// Toward zero.
        case down
        /// Toward infinity.
        case up
    }

    /// The multiplier λ of the nearest sign change of `f` in `direction`, or `nil` if there is none.
    /// - Parameters:
    ///   - valueAtOne: f(1), already known to the caller.
    public static func nearestRoot(direction: Direction, valueAtOne: Double,
                                   _ f: (Double) throws(MarginError) -> Double) throws(MarginError) -> Double? {
        var a = 1.0
        var fa = valueAtOne
        if fa == 0 { return 1 }
        var step = 0.02
        for iteration in 0..<400 {
            let b = direction == .down ? a * (1 - step) : a * (1 + step)
            if direction == .down ? b < 1e-9 : b > 1e9 { return nil }
            let fb = try f(b)
            if fb == 0 { return b }
            if (fb < 0) != (fa < 0) { return try bisect(low: min(a, b), high: max(a, b), lowIsNegative: (direction == .down ? fb : fa) < 0, f) }
            a = b
            fa = fb
            if iteration >= 25 { step = min(step * 1.25, 0.5) }
        }
        return nil
    }

    /// Bisects [low, high] where f(low) and f(high) have opposite signs, to 10^-15 relative.
    private static func bisect(low: Double, high: Double, lowIsNegative: Bool,
                               _ f: (Double) throws(MarginError) -> Double) throws(MarginError) -> Double {
        var low = low
        var high = high
        for _ in 0..<200 {
            let mid = 0.5 * (low + high)
            if high - low <= 1e-15 * high || mid == low || mid == high { return mid }
            let value = try f(mid)
            if value == 0 { return mid }
            if (value < 0) == lowIsNegative { low = mid } else { high = mid }
        }
        return 0.5 * (low + high)
    }
}
