import BallastCore
import RealModule

/// Kupiec's proportion-of-failures test of a margin (or VaR) model: over `T` periods, `x` exceptions (losses beyond the
/// margin) against an expected exception rate `p` (1 − confidence).
///
/// **LR_uc = −2·ln[(1 − p)^(T−x)·p^x] + 2·ln[(1 − x/T)^(T−x)·(x/T)^x]**, with 0·ln 0 = 0, is χ²(1) under the model, so
/// its p-value is **erfc(√(LR/2))** (Kupiec 1995, *J. Derivatives* 3(2):73–84). The test is two-sided: too few
/// exceptions reject an over-conservative model too (250 periods at 99 % with none: p-value 0.025).
public struct KupiecTest: Sendable, Hashable {
    /// T, the number of periods.
    public let observations: Int
    /// x, the number of exceptions.
    public let exceptions: Int
    /// p, the expected exception rate.
    public let expectedRate: Double
    /// LR_uc.
    public let statistic: Double
    /// The probability of a statistic at least as large under the model (χ²(1)).
    public let pValue: Double

    /// Runs the test.
    /// - Throws: ``ParameterError`` for no periods, an exception count outside 0…T, or a rate outside (0, 1).
    public init(observations: Int, exceptions: Int, expectedRate: Double) throws(ParameterError) {
        try Self.check(observations: observations, exceptions: exceptions, expectedRate: expectedRate)
        let (t, x, p) = (Double(observations), Double(exceptions), expectedRate)
        let observed = x / t
        // ln-likelihoods; log1p keeps (1 − p)^(T−x) accurate for small p, and a zero count contributes 0 (0·ln 0 = 0).
        let model = (t - x) * Double.log(onePlus: -p) + (x > 0 ? x * Double.log(p) : 0)
        let fitted = (x < t ? (t - x) * Double.log(onePlus: -observed) : 0) + (x > 0 ? x * Double.log(observed) : 0)
        statistic = max(0, 2 * (fitted - model))
        pValue = ChiSquared.survival(statistic, degreesOfFreedom: 1)
        self.observations = observations
        self.exceptions = exceptions
        self.expectedRate = expectedRate
    }

    /// Whether the model is rejected at significance `level` (0.05: the statistic above 3.841458820694124).
    public func rejects(atLevel level: Double) -> Bool { pValue < level }

    /// Checks a backtest's counts: at least one period, 0 ≤ exceptions ≤ periods, a rate in (0, 1).
    static func check(observations: Int, exceptions: Int, expectedRate: Double) throws(ParameterError) {
        guard observations > 0 else { throw ParameterError(field: "observations", value: "\(observations)", reason: "must be positive") }
        guard exceptions >= 0, exceptions <= observations else {
            throw ParameterError(field: "exceptions", value: "\(exceptions)", reason: "must be from 0 to the \(observations) observations")
        }
        guard expectedRate.isFinite, expectedRate > 0, expectedRate < 1 else {
            throw ParameterError(field: "expected_rate", value: "\(expectedRate)", reason: "must be in (0, 1)")
        }
    }
}

/// The Basel Committee's traffic light for a backtest (BCBS, "Supervisory framework for the use of backtesting",
/// 1996): the zone of `x` exceptions in `T` periods at exception rate `p` from the binomial distribution of the count,
/// green while P(X ≤ x) < 95 %, yellow while it is < 99.99 %, red from there. At T = 250, p = 1 % this gives the
/// published zones: green 0–4, yellow 5–9, red 10 or more.
public enum TrafficLight: String, Sendable, Hashable, CaseIterable {
    /// Fewer exceptions than the 95th percentile of the count.
    case green
    /// From the 95th to the 99.99th percentile.
    case yellow
    /// Beyond the 99.99th percentile.
    case red

    /// The zone of `exceptions` in `observations` periods at `expectedRate`.
    /// - Throws: ``ParameterError`` as ``KupiecTest``.
    public init(exceptions: Int, observations: Int, expectedRate: Double) throws(ParameterError) {
        try KupiecTest.check(observations: observations, exceptions: exceptions, expectedRate: expectedRate)
        let cumulative = Binomial.cumulative(exceptions, trials: observations, rate: expectedRate)
        self = cumulative < 0.95 ? .green : cumulative < 0.9999 ? .yellow : .red
    }
}

/// The distributions the backtests need.
enum ChiSquared {
    /// P(χ² > s) for 1 degree of freedom, erfc(√(s/2)), or 2 degrees, exp(−s/2).
    static func survival(_ s: Double, degreesOfFreedom: Int) -> Double {
        degreesOfFreedom == 1 ? Double.erfc((s / 2).squareRoot()) : Double.exp(-s / 2)
    }
}

/// The binomial distribution of an exception count.
enum Binomial {
    /// P(X ≤ k) for X ~ Binomial(n, p), summed in log space (ln C(n, i) from ln Γ).
    static func cumulative(_ k: Int, trials n: Int, rate p: Double) -> Double {
        var sum = 0.0
        for i in 0...min(k, n) {
            let logChoose = Double.logGamma(Double(n + 1)) - Double.logGamma(Double(i + 1)) - Double.logGamma(Double(n - i + 1))
            sum += Double.exp(logChoose + Double(i) * Double.log(p) + Double(n - i) * Double.log(onePlus: -p))
        }
        return min(1, sum)
    }
}
