import BallastCore

/// The anti-procyclicality tools of EMIR (RTS 153/2013 Art. 28): a CCP must use at least one, so that margins do not
/// fall in calm markets only to jump in stress.
///
/// - ``buffer(_:)``: a buffer of at least 25 % on the margin, **M·(1 + b)**, which may be drawn down when margins rise
///   significantly;
/// - ``stressedWeight(_:)``: at least 25 % weight on stressed observations, **(1 − w)·M + w·M_stressed**;
/// - ``tenYearFloor``: the margin floored at the one from a ten-year volatility lookback, **max(M, M_10y)** (kept by
///   ESMA's 2023 review, ESMA91-1505572268-3217).
public enum ProcyclicalityTool: Sendable, Hashable {
    /// A buffer fraction b (EMIR: ≥ 0.25).
    case buffer(Double)
    /// The weight w of the stressed margin (EMIR: ≥ 0.25).
    case stressedWeight(Double)
    /// A floor at the ten-year-lookback margin.
    case tenYearFloor

    /// The margin after the tool, from the current model's `margin` and, as the tool needs them, the margin on stressed
    /// observations `stressed` or on a ten-year lookback `tenYear`.
    /// - Throws: ``ParameterError`` for a negative or non-finite margin, a fraction outside [0, 1] (a buffer may be up to
    ///   10), or a figure the tool needs and was not given.
    public func apply(to margin: Double, stressed: Double? = nil, tenYear: Double? = nil) throws(ParameterError) -> Double {
        try Self.amount("margin", margin)
        switch self {
        case .buffer(let fraction):
            guard fraction.isFinite, fraction >= 0, fraction <= 10 else {
                throw ParameterError(field: "buffer", value: "\(fraction)", reason: "must be a fraction from 0 to 10")
            }
            return margin * (1 + fraction)
        case .stressedWeight(let weight):
            guard weight.isFinite, weight >= 0, weight <= 1 else {
                throw ParameterError(field: "stressed_weight", value: "\(weight)", reason: "must be in [0, 1]")
            }
            guard let stressed else { throw ParameterError(field: "stressed", value: "missing", reason: "the stressed-weight tool needs the stressed margin") }
            try Self.amount("stressed", stressed)
            return (1 - weight) * margin + weight * stressed
        case .tenYearFloor:
            guard let tenYear else { throw ParameterError(field: "ten_year", value: "missing", reason: "the floor needs the ten-year-lookback margin") }
            try Self.amount("ten_year", tenYear)
            return max(margin, tenYear)
        }
    }

    private static func amount(_ field: String, _ value: Double) throws(ParameterError) {
        guard value.isFinite, value >= 0 else { throw ParameterError(field: field, value: "\(value)", reason: "must be a finite amount ≥ 0") }
    }
}
