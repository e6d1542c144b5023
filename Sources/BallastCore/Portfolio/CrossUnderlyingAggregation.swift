/// How the risks of different underlyings combine into one account requirement.
public enum CrossUnderlyingAggregation: Sendable, Hashable {
    /// R = Σ Rᵤ: no offset between underlyings.
    case sum
    /// **R = √(Σᵢⱼ ρᵢⱼ·Rᵢ·Rⱼ)** over the (stressed) correlation matrix, the credit Σ Rᵤ − R capped at
    /// `maximumCreditFraction` of Σ Rᵤ (as Deribit caps offsettable PnL). With ρ = 1 everywhere this is the sum.
    case correlation(CorrelationOffsets)
    /// SPAN inter-commodity spread credits: each rule pairs opposite net deltas of two underlyings in a ratio and
    /// credits a rate of the legs' outright risk (CME "Inter Spread Calculations").
    case interSpreads([InterSpreadCredit])
}

/// Correlation offsets between underlyings.
public struct CorrelationOffsets: Sendable, Hashable {
    /// The underlyings the matrix covers, in matrix order; an underlying not listed is correlated 1 with everything.
    public var underlyings: [AssetID]
    /// Correlations, row-major, |ρ| ≤ 1, unit diagonal.
    public var matrix: [[Double]]
    /// The largest credit as a fraction of Σ Rᵤ.
    public var maximumCreditFraction: Double

    /// Creates correlation offsets.
    /// - Throws: ``ParameterError`` for an underlying listed twice, a matrix that is not square, symmetric with unit
    ///   diagonal, or a credit cap outside [0, 1].
    public init(underlyings: [AssetID], matrix: [[Double]], maximumCreditFraction: Double) throws(ParameterError) {
        guard matrix.count == underlyings.count, matrix.allSatisfy({ $0.count == underlyings.count }) else {
            throw ParameterError(field: "correlation", value: "\(matrix.count)×\(matrix.first?.count ?? 0)",
                                 reason: "must be square with one row per underlying (\(underlyings.count))")
        }
        // One row per underlying: a repeated one would have two correlations with every other, of which ``rho(_:_:)``
        // reads only the first.
        for (i, underlying) in underlyings.enumerated() where underlyings[..<i].contains(underlying) {
            throw ParameterError(field: "underlyings[\(i)]", value: "\(underlying.index)", reason: "repeats an underlying listed before it")
        }
        for i in matrix.indices {
            for j in matrix.indices {
                let rho = matrix[i][j]
                guard rho.isFinite, rho >= -1, rho <= 1, abs(rho - matrix[j][i]) <= 1e-12, i != j || rho == 1 else {
                    throw ParameterError(field: "correlation[\(i)][\(j)]", value: "\(rho)", reason: "must be in [−1, 1], symmetric, 1 on the diagonal")
                }
            }
        }
        guard maximumCreditFraction.isFinite, maximumCreditFraction >= 0, maximumCreditFraction <= 1 else {
            throw ParameterError(field: "maximum_credit_fraction", value: "\(maximumCreditFraction)", reason: "must be in [0, 1]")
        }
        self.underlyings = underlyings
        self.matrix = matrix
        self.maximumCreditFraction = maximumCreditFraction
    }

    /// ρ between two underlyings (1 if either is not in the matrix).
    public func rho(_ a: AssetID, _ b: AssetID) -> Double {
        if a == b { return 1 }
        guard let i = underlyings.firstIndex(of: a), let j = underlyings.firstIndex(of: b) else { return 1 }
        return matrix[i][j]
    }
}

/// A SPAN inter-commodity spread: `ratios[k]` units of delta of `underlyings[k]` per spread, legs of opposite sign.
/// n = min over legs of |net delta|/ratio; **credit = rate × Σₖ n·ratioₖ·(Rₖ/|Δₖ|)**, Rₖ/|Δₖ| being the leg's risk per
/// unit of delta (CME's weighted futures price risk, "NORMAL" method).
public struct InterSpreadCredit: Sendable, Hashable {
    /// The two (or more) legs' underlyings.
    public var underlyings: [AssetID]
    /// Delta units of each leg per spread.
    public var ratios: [Double]
    /// The credit rate in [0, 1].
    public var rate: Double

    /// Creates a rule.
    /// - Throws: ``ParameterError`` for fewer than two legs, non-positive ratios or a rate outside [0, 1].
    public init(underlyings: [AssetID], ratios: [Double], rate: Double) throws(ParameterError) {
        guard underlyings.count >= 2, underlyings.count == ratios.count, Set(underlyings).count == underlyings.count else {
            throw ParameterError(field: "legs", value: "\(underlyings.count)", reason: "an inter spread needs two or more distinct legs, each with a ratio")
        }
        for (k, ratio) in ratios.enumerated() where !(ratio.isFinite && ratio > 0) {
            throw ParameterError(field: "legs[\(k)].ratio", value: "\(ratio)", reason: "must be positive")
        }
        guard rate.isFinite, rate >= 0, rate <= 1 else { throw ParameterError(field: "rate", value: "\(rate)", reason: "must be in [0, 1]") }
        self.underlyings = underlyings
        self.ratios = ratios
        self.rate = rate
    }
}
