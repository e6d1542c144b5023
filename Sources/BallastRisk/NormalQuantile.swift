import BallastCore
import RealModule

/// The standard normal quantile Φ⁻¹(p): Acklam's rational approximation (relative error below 1.2·10⁻⁹), refined by
/// one Halley step on Φ (``NormalDistribution/cdf(_:)``), which brings the lower half to the accuracy of Φ itself
/// (about 10⁻¹⁵ relative); the upper half is −Φ⁻¹(1 − p), since 1 − p is exact there while Φ(x) − p near 1 is not:
/// Φ⁻¹(0.99) = 2.3263478740408408, Φ⁻¹(0.975) = 1.959963984540054, Φ⁻¹(10⁻³⁰⁰) = −37.047096299361199.
public enum NormalQuantile {
    /// Φ⁻¹(p) for p in (0, 1); −∞ at 0, +∞ at 1, NaN outside [0, 1]; exactly 0 at ½.
    public static func of(_ p: Double) -> Double {
        guard p > 0, p < 1 else { return p == 0 ? -.infinity : p == 1 ? .infinity : .nan }
        if p > 0.5 { return -of(1 - p) }
        let a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.3577518672690, -30.66479806614716, 2.506628277459239]
        let b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572]
        let c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783]
        let d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416]
        let low = 0.02425
        var x: Double
        if p < low || p > 1 - low {
            // Tails: q = √(−2 ln(min(p, 1 − p))), signed by the side.
            let q = (-2 * Double.log(min(p, 1 - p))).squareRoot()
            let tail = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
            x = p < low ? tail : -tail
        } else {
            let q = p - 0.5
            let r = q * q
            x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q
                / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
        }
        // One Halley step: e = Φ(x) − p, u = e·√(2π)·e^(x²/2), x ← x − u/(1 + x·u/2); skipped where e^(x²/2) would
        // overflow (p below about 10⁻³⁰⁸, where the approximation alone is as good as a Double of p).
        guard x * x / 2 < 700 else { return x }
        let e = NormalDistribution.cdf(x) - p
        let u = e * (2 * Double.pi).squareRoot() * Double.exp(x * x / 2)
        x -= u / (1 + x * u / 2)
        return x
    }
}
