import BallastCore
import RealModule

/// Value at risk and expected shortfall of a position or portfolio, as loss amounts (positive = a loss), at confidence
/// α over a horizon of h periods.
///
/// - **Parametric (normal):** **VaR = z_α·σ·√h·V** and **ES = σ·√h·V·φ(z_α)/(1 − α)**, z_α = Φ⁻¹(α), σ the volatility per
///   period of the relative P&L and V the value (at 99 %: z = 2.3263…, ES/σ = 2.6652…).
/// - **Historical:** sort the observed losses; VaR is the k-th largest with k fixed by ``QuantileRule`` (⌈n(1 − α)⌉ by
///   default), and ES is the mean of the k largest, the losses at or beyond VaR.
///
/// (RiskMetrics 1996; the reference's "Risk analytics": "fix the quantile rule".)
public enum ValueAtRisk {
    /// Which order statistic the historical VaR is.
    public enum QuantileRule: String, Sendable, Hashable, CaseIterable {
        /// The ⌈n(1 − α)⌉-th largest loss.
        case ceiling
        /// The (⌊n(1 − α)⌋ + 1)-th largest loss (one deeper when n(1 − α) is whole).
        case floorPlusOne
    }

    /// A VaR and its expected shortfall.
    public struct Figures: Sendable, Hashable {
        /// The value at risk.
        public var valueAtRisk: Double
        /// The expected shortfall (mean loss at or beyond the VaR).
        public var expectedShortfall: Double

        /// Creates figures.
        public init(valueAtRisk: Double, expectedShortfall: Double) {
            self.valueAtRisk = valueAtRisk
            self.expectedShortfall = expectedShortfall
        }
    }

    /// The normal VaR and ES of value `value` with per-period volatility `volatility` over `horizon` periods.
    /// - Throws: ``ParameterError`` for a confidence outside (0, 1), a negative or non-finite volatility, value or horizon.
    public static func parametric(volatility: Double, value: Double, confidence: Double, horizon: Double = 1) throws(ParameterError) -> Figures {
        try checkConfidence(confidence)
        for (field, number) in [("volatility", volatility), ("value", value), ("horizon", horizon)] where !(number.isFinite && number >= 0) {
            throw ParameterError(field: field, value: "\(number)", reason: "must be a finite number ≥ 0")
        }
        let z = NormalQuantile.of(confidence)
        let scale = volatility * horizon.squareRoot() * value
        return Figures(valueAtRisk: z * scale, expectedShortfall: scale * NormalDistribution.density(z) / (1 - confidence))
    }

    /// The historical VaR and ES of the observed `losses` (positive = a loss; profits are negative losses).
    /// - Throws: ``ParameterError`` for no losses, a non-finite one, or a confidence outside (0, 1).
    public static func historical(losses: [Double], confidence: Double, rule: QuantileRule = .ceiling) throws(ParameterError) -> Figures {
        try checkConfidence(confidence)
        guard !losses.isEmpty else { throw ParameterError(field: "losses", value: "none", reason: "needs at least one observation") }
        if let bad = losses.firstIndex(where: { !$0.isFinite }) {
            throw ParameterError(field: "losses[\(bad)]", value: "\(losses[bad])", reason: "must be finite")
        }
        let tail = Double(losses.count) * (1 - confidence)
        // A tail within rounding of a whole number is that number (n·(1 − α) for 100 × 0.05 is 5.000000000000004).
        let whole = tail.rounded()
        let exact = abs(tail - whole) <= 1e-9 * max(1, tail) ? whole : tail
        let rank = rule == .ceiling ? exact.rounded(.up) : exact.rounded(.down) + 1
        let k = min(losses.count, max(1, Int(rank)))
        let largest = losses.sorted(by: >).prefix(k)
        return Figures(valueAtRisk: largest[largest.index(before: largest.endIndex)], expectedShortfall: largest.reduce(0, +) / Double(k))
    }

    private static func checkConfidence(_ confidence: Double) throws(ParameterError) {
        guard confidence.isFinite, confidence > 0, confidence < 1 else {
            throw ParameterError(field: "confidence", value: "\(confidence)", reason: "must be in (0, 1)")
        }
    }
}
