import BallastCore
import RealModule

/// Christoffersen's tests of a margin (or VaR) model's exceptions: independence (do exceptions cluster?) and conditional
/// coverage (the right rate *and* independence).
///
/// Over the transitions t = 2…T of the exception sequence, nᵢⱼ counts the periods in state j after a period in state i
/// (1 = exception). With π₀₁ = n₀₁/(n₀₀ + n₀₁), π₁₁ = n₁₁/(n₁₀ + n₁₁) and π = (n₀₁ + n₁₁)/(n₀₀ + n₀₁ + n₁₀ + n₁₁):
///
/// **LR_ind = −2·ln[(1 − π)^(n₀₀+n₁₀)·π^(n₀₁+n₁₁)] + 2·ln[(1 − π₀₁)^n₀₀·π₀₁^n₀₁·(1 − π₁₁)^n₁₀·π₁₁^n₁₁]** ~ χ²(1), with
/// 0·ln 0 = 0, and **LR_cc = LR_uc + LR_ind** ~ χ²(2) (5 % critical values 3.841458820694124 and 5.991464547107979),
/// where LR_uc is Kupiec's statistic (``KupiecTest``) over all T periods (Christoffersen 1998, *International Economic
/// Review* 39(4):841–862; MATLAB `varbacktest`'s `cci`/`cc`). Whether π counts the T − 1 transitions (the default, as
/// the likelihood is written) or the T periods is ``Rate``.
public struct ChristoffersenTest: Sendable, Hashable {
    /// Which periods the unconditional rate π of LR_ind counts.
    public enum Rate: String, Sendable, Hashable, CaseIterable {
        /// The T − 1 transitions: π = (n₀₁ + n₁₁)/(T − 1).
        case transitions
        /// All T periods: π = x/T.
        case allPeriods
    }

    /// The transitions between consecutive periods: nᵢⱼ periods in state j after one in state i (1 = exception).
    public struct TransitionCounts: Sendable, Hashable {
        /// No exception after none.
        public var n00 = 0
        /// An exception after none.
        public var n01 = 0
        /// No exception after one.
        public var n10 = 0
        /// An exception after one.
        public var n11 = 0

        /// Creates counts.
        public init(n00: Int = 0, n01: Int = 0, n10: Int = 0, n11: Int = 0) {
            (self.n00, self.n01, self.n10, self.n11) = (n00, n01, n10, n11)
        }
    }

    /// The transition counts.
    public let counts: TransitionCounts
    /// LR_ind.
    public let independence: Double
    /// P(χ²(1) ≥ LR_ind).
    public let independencePValue: Double
    /// Kupiec's test over the whole sequence.
    public let unconditional: KupiecTest
    /// LR_cc = LR_uc + LR_ind.
    public let conditionalCoverage: Double
    /// P(χ²(2) ≥ LR_cc).
    public let conditionalCoveragePValue: Double

    /// Runs the tests on `exceptions` (one flag per period, in time order) against the expected rate `expectedRate`.
    /// - Throws: ``ParameterError`` for fewer than 2 periods or a rate outside (0, 1).
    public init(exceptions: [Bool], expectedRate: Double, rate: Rate = .transitions) throws(ParameterError) {
        guard exceptions.count >= 2 else {
            throw ParameterError(field: "exceptions", value: "\(exceptions.count) periods", reason: "needs at least 2 periods")
        }
        unconditional = try KupiecTest(observations: exceptions.count, exceptions: exceptions.lazy.filter { $0 }.count, expectedRate: expectedRate)
        var n = TransitionCounts()
        for t in 1..<exceptions.count {
            switch (exceptions[t - 1], exceptions[t]) {
            case (false, false): n.n00 += 1
            case (false, true): n.n01 += 1
            case (true, false): n.n10 += 1
            case (true, true): n.n11 += 1
            }
        }
        counts = n
        let pi = rate == .transitions
            ? Double(n.n01 + n.n11) / Double(exceptions.count - 1)
            : Double(unconditional.exceptions) / Double(exceptions.count)
        let pi01 = n.n00 + n.n01 > 0 ? Double(n.n01) / Double(n.n00 + n.n01) : 0
        let pi11 = n.n10 + n.n11 > 0 ? Double(n.n11) / Double(n.n10 + n.n11) : 0
        let restricted = Self.logLikelihood(count: n.n00 + n.n10, probability: 1 - pi)
            + Self.logLikelihood(count: n.n01 + n.n11, probability: pi)
        let unrestricted = Self.logLikelihood(count: n.n00, probability: 1 - pi01) + Self.logLikelihood(count: n.n01, probability: pi01)
            + Self.logLikelihood(count: n.n10, probability: 1 - pi11) + Self.logLikelihood(count: n.n11, probability: pi11)
        independence = max(0, 2 * (unrestricted - restricted))
        independencePValue = ChiSquared.survival(independence, degreesOfFreedom: 1)
        conditionalCoverage = unconditional.statistic + independence
        conditionalCoveragePValue = ChiSquared.survival(conditionalCoverage, degreesOfFreedom: 2)
    }

    /// count·ln(probability), with 0·ln 0 = 0.
    static func logLikelihood(count: Int, probability: Double) -> Double {
        count == 0 ? 0 : Double(count) * Double.log(probability)
    }

    /// Whether independence is rejected at significance `level`.
    public func rejectsIndependence(atLevel level: Double) -> Bool { independencePValue < level }

    /// Whether conditional coverage is rejected at significance `level` (0.05: LR_cc above 5.991464547107979).
    public func rejectsConditionalCoverage(atLevel level: Double) -> Bool { conditionalCoveragePValue < level }
}
