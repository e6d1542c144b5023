/// Finds the nearest price multiplier at which a pool's margin function changes sign.
///
/// The pool function f(λ) (equity − maintenance for a liquidation price, equity for a bankruptcy price) is
/// evaluated with the underlying at λ × its snapshot price. From λ = 1 the search steps outward in one direction
/// until f changes sign, then narrows the bracket to about 10^-15 relative (Brent's method). The steps are 2 % for
/// the first 25 (out to λ ≈ 1.64 or 0.60), then grow by a quarter per step, without bound upward and up to 90 %
/// downward, so that a direction without a root reaches 10^9 in 53 steps and 10^-9 in 48 (85 and 65 when they were
/// capped at 50 %). Where MM is continuous across tiers (the cum rule), f is continuous and a sign change brackets a
/// root; where MM steps up at a floor (risk-limit steps, contract tiers, initial-fraction ladders) the bracket closes on
/// the step, the first price at which the threshold is reached. The first bracket found is the nearest in that
/// direction. No sign change before 10^-9 (down) or 10^9 (up) means no price in that direction reaches the threshold.
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
            if (fb < 0) != (fa < 0) { return try narrow(a, fa, b, fb, f) }
            a = b
            fa = fb
            if iteration >= 25 { step = direction == .down ? min(step * 1.25, 0.9) : step * 1.25 }
        }
        return nil
    }

    /// Narrows the bracket between `a` and `b`, where f(a) and f(b) have opposite signs, to a root within about 10^-15
    /// relative, by Brent's method (R. P. Brent, *Algorithms for Minimization without Derivatives*, 1973, ch. 4,
    /// `zero`): inverse quadratic or secant steps where they stay inside the bracket and shrink it fast enough,
    /// bisection otherwise. A pool function is piecewise smooth (linear between tier boundaries for futures), so it converges in a handful of
    /// evaluations where bisection needs ~45, and it never leaves the bracket.
    private static func narrow(_ a: Double, _ fa: Double, _ b: Double, _ fb: Double,
                               _ f: (Double) throws(MarginError) -> Double) throws(MarginError) -> Double {
        var (a, fa, b, fb) = (a, fa, b, fb)
        var c = a
        var fc = fa
        var d = b - a
        var e = d
        for _ in 0..<200 {
            if (fb > 0) == (fc > 0) {
                c = a
                fc = fa
                d = b - a
                e = d
            }
            if abs(fc) < abs(fb) {
                a = b
                b = c
                c = a
                fa = fb
                fb = fc
                fc = fa
            }
            let tolerance = 2 * Double.ulpOfOne * abs(b) + 0.5e-15 * abs(b)
            let m = 0.5 * (c - b)
            if abs(m) <= tolerance || fb == 0 { return b }
            if abs(e) < tolerance || abs(fa) <= abs(fb) {
                d = m
                e = m
            } else {
                var p: Double
                var q: Double
                let s = fb / fa
                if a == c {
                    p = 2 * m * s
                    q = 1 - s
                } else {
                    let qa = fa / fc
                    let r = fb / fc
                    p = s * (2 * m * qa * (qa - r) - (b - a) * (r - 1))
                    q = (qa - 1) * (r - 1) * (s - 1)
                }
                if p > 0 { q = -q } else { p = -p }
                if 2 * p < min(3 * m * q - abs(tolerance * q), abs(e * q)) {
                    e = d
                    d = p / q
                } else {
                    d = m
                    e = m
                }
            }
            a = b
            fa = fb
            b += abs(d) > tolerance ? d : (m > 0 ? tolerance : -tolerance)
            fb = try f(b)
        }
        return b
    }
}
