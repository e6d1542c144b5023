/// A notional ladder whose maintenance is a fraction of the position's own initial margin (HTX, BingX standard
/// futures): each tier k caps the leverage (IM rate 1/maxLevₖ) and sets an adjustment factor fₖ, and
/// **MM = V·max(1/leverage, 1/maxLevₖ)·fₖ** — the initial margin at the chosen leverage times the factor.
///
/// Sources: HTX, "maintenance margin rate = initial margin rate × adjustment factor" (its position-tier tables list the
/// factor per tier); BingX, "Forced Liquidation (Standard Futures)": margin rate = net asset value / initial margin −
/// adjustment factor, liquidation at 0, so a 150 USDT position at 10x (IM 15) with a 10 % factor is liquidated when
/// equity reaches 1.5 (https://support.bingx.com/hc/en-001/articles/360045019194).
///
/// Unlike a cum ladder, MM steps at each floor and depends on the chosen leverage, so liquidation prices come from the
/// numeric search, not a closed form on the mark notional.
public struct InitialFractionLadder: Sendable, Hashable {
    /// One tier.
    public struct Tier: Sendable, Hashable {
        /// The lowest notional of the tier, in the settlement asset.
        public var floor: Double
        /// The highest leverage allowed in the tier.
        public var maxLeverage: Double
        /// The adjustment factor fₖ: MM as a fraction of the IM at the chosen leverage.
        public var adjustmentFactor: Double
    }

    /// The tiers, floors ascending from 0.
    public let tiers: [Tier]

    /// Builds a ladder.
    /// - Throws: ``ParameterError`` naming the tier and field: floors not strictly ascending from 0, a max leverage
    ///   below 1 or rising with notional, a factor outside (0, 1], or a maintenance rate at the cap (fₖ/maxLevₖ) falling
    ///   with notional.
    public init(floors: [Double], maxLeverages: [Double], adjustmentFactors: [Double]) throws(ParameterError) {
        guard !floors.isEmpty, floors.count == maxLeverages.count, floors.count == adjustmentFactors.count else {
            throw ParameterError(field: "tiers", value: "\(floors.count) floors, \(maxLeverages.count) leverages, \(adjustmentFactors.count) factors",
                                 reason: "every tier needs a floor, a max leverage and an adjustment factor")
        }
        guard floors[0] == 0 else { throw ParameterError(field: "tiers[0].floor", value: "\(floors[0])", reason: "the first tier must start at 0") }
        var built: [Tier] = []
        for k in floors.indices {
            guard floors[k].isFinite, k == 0 || floors[k] > floors[k - 1] else {
                throw ParameterError(field: "tiers[\(k)].floor", value: "\(floors[k])", reason: "floors must be finite and strictly ascending")
            }
            guard maxLeverages[k].isFinite, maxLeverages[k] >= 1 else {
                throw ParameterError(field: "tiers[\(k)].max_leverage", value: "\(maxLeverages[k])", reason: "must be a number ≥ 1")
            }
            guard adjustmentFactors[k].isFinite, adjustmentFactors[k] > 0, adjustmentFactors[k] <= 1 else {
                throw ParameterError(field: "tiers[\(k)].adjustment_factor", value: "\(adjustmentFactors[k])", reason: "must be in (0, 1]")
            }
            // Larger positions may not get more leverage or a lower maintenance rate at the cap: MM must not fall at a
            // floor, or a price could have several liquidation roots.
            if k > 0 {
                guard maxLeverages[k] <= maxLeverages[k - 1] else {
                    throw ParameterError(field: "tiers[\(k)].max_leverage", value: "\(maxLeverages[k])", reason: "must not rise with notional")
                }
                guard adjustmentFactors[k] / maxLeverages[k] >= adjustmentFactors[k - 1] / maxLeverages[k - 1] else {
                    throw ParameterError(field: "tiers[\(k)].adjustment_factor", value: "\(adjustmentFactors[k])",
                                         reason: "the maintenance rate at the cap, factor/max_leverage, must not fall with notional")
                }
            }
            built.append(Tier(floor: floors[k], maxLeverage: maxLeverages[k], adjustmentFactor: adjustmentFactors[k]))
        }
        tiers = built
    }

    /// The tier a notional falls in: the last whose floor is ≤ `notional`.
    public func tierIndex(notional: Double) -> Int {
        var index = 0
        for k in 1..<tiers.count { index &+= notional >= tiers[k].floor ? 1 : 0 }
        return index
    }

    /// The requirement at `notional` for a chosen leverage rate `leverageRate` (1/leverage, −∞ without one): IM rate
    /// 1/maxLevₖ, MM = V·max(`leverageRate`, 1/maxLevₖ)·fₖ.
    public func requirement(notional: Double, leverageRate: Double) -> MarginSchedule.Requirement {
        let k = tierIndex(notional: notional)
        let initialRate = 1 / tiers[k].maxLeverage
        return MarginSchedule.Requirement(initialRate: initialRate, maintenance: notional * max(leverageRate, initialRate) * tiers[k].adjustmentFactor,
                                          tier: k)
    }
}
