/// A notional-tiered maintenance ladder with the deduction ("cum") rule, as Binance, Bybit and Hyperliquid use (or a
/// ladder of contract counts without deductions, as OKX's position tiers: ``Measure/contracts``).
///
/// For notional `V` in tier `k` (floor `Lₖ`): **MM = V·MMRₖ − cumₖ**, with cum₀ = 0 and
/// **cumₖ = cumₖ₋₁ + Lₖ·(MMRₖ − MMRₖ₋₁)**. This makes MM continuous at every floor and equal to the sum of each
/// slice of notional times its own rate (Binance FAQ "leverage and margin of USDⓈ-M futures"; Hyperliquid docs
/// "margin tiers", `maintenance_deduction`). A notional equal to a floor belongs to the tier that starts there.
/// Each tier also caps the leverage a position of that notional may use: under ``InitialRule/whole`` the whole
/// notional takes the IM rate of the tier it falls in, under ``InitialRule/sliced`` each slice takes its own tier's.
public struct TierTable: Sendable, Hashable {
    /// How a tier's leverage cap turns into initial margin.
    public enum InitialRule: String, Sendable, Hashable, CaseIterable {
        /// The whole notional at the rate of the tier it falls in: **IM = V·max(1/maxLevₖ, 1/lev)** (Binance
        /// USDⓈ-M, Bybit, Hyperliquid: a bracket caps the leverage of the whole position).
        case whole
        /// Each slice of notional at its own tier's rate, as the cum rule does for maintenance:
        /// **IM = Σⱼ sliceⱼ·max(1/maxLevⱼ, 1/lev)**, sliceⱼ = the part of V in [Lⱼ, Lⱼ₊₁) (WhiteBIT collateral
        /// brackets: 100x up to 50,000 USDT and 10x above asks 50,000/100 + 150,000/10 = 15,500 of a 200,000
        /// position). Continuous in V at every floor.
        case sliced
    }

    /// What the floors of the ladder measure.
    public enum Measure: String, Sendable, Hashable, CaseIterable {
        /// The position's notional in the settlement asset, with the cum rule (Binance, Bybit, Hyperliquid).
        case notional
        /// The position's size in contracts (OKX position tiers count contracts: "a 60,000-contract position falls in
        /// tier 4"). The tier's rates apply to the whole notional, **MM = V·MMRₖ**, so MM steps up at each floor and
        /// there is no deduction: a deduction in notional would depend on the price.
        case contracts
    }

    /// One bracket of the ladder.
    public struct Tier: Sendable, Hashable {
        /// The lowest notional of the tier, in the settlement asset (contracts for a ladder measured in contracts).
        public var floor: Double
        /// The highest leverage allowed in the tier.
        public var maxLeverage: Double
        /// The maintenance margin rate MMRₖ.
        public var maintenanceRate: Double
        /// The deduction cumₖ that keeps MM continuous (0 for a ladder measured in contracts).
        public var deduction: Double
    }

    /// The tiers, floors ascending from 0.
    public let tiers: [Tier]
    /// How the leverage caps become initial margin.
    public let initialRule: InitialRule
    /// What the floors measure.
    public let measure: Measure

    /// Builds a ladder and derives the deductions.
    ///
    /// - Parameters:
    ///   - floors: notional floors, strictly ascending, the first 0.
    ///   - maxLeverages: the leverage cap of each tier (≥ 1).
    ///   - maintenanceRates: MMR of each tier, in (0, 1], non-decreasing, and at most 1/maxLeverage of the tier
    ///     (else the initial requirement would be below maintenance).
    ///   - statedDeductions: deductions as a venue publishes them (Binance `cum`); if given, each must equal the
    ///     derived one to 1e-9 relative, so an inconsistent table is caught rather than silently used.
    ///   - initialRule: whole (default) or sliced initial margin.
    ///   - measure: notional floors with the cum rule (default), or contract floors without deductions.
    /// - Throws: ``ParameterError`` naming the tier and field.
    public init(floors: [Double], maxLeverages: [Double], maintenanceRates: [Double], statedDeductions: [Double]? = nil,
                initialRule: InitialRule = .whole, measure: Measure = .notional) throws(ParameterError) {
        guard !floors.isEmpty, floors.count == maxLeverages.count, floors.count == maintenanceRates.count else {
            throw ParameterError(field: "tiers", value: "\(floors.count) floors, \(maxLeverages.count) leverages, \(maintenanceRates.count) rates",
                                 reason: "every tier needs a floor, a max leverage and a maintenance rate")
        }
        if measure == .contracts {
            guard initialRule == .whole else {
                throw ParameterError(field: "initial_rule", value: initialRule.rawValue, reason: "a ladder measured in contracts takes the whole rule")
            }
            guard statedDeductions == nil else {
                throw ParameterError(field: "tiers[0].deduction", value: "\(statedDeductions?.first ?? 0)",
                                     reason: "a ladder measured in contracts has no deductions (each tier's rates apply to the whole position)")
            }
        }
        guard floors[0] == 0 else { throw ParameterError(field: "tiers[0].floor", value: "\(floors[0])", reason: "the first tier must start at 0") }
        var built: [Tier] = []
        var deduction = 0.0
        for k in floors.indices {
            let (floor, leverage, rate) = (floors[k], maxLeverages[k], maintenanceRates[k])
            guard floor.isFinite, k == 0 || floor > floors[k - 1] else {
                throw ParameterError(field: "tiers[\(k)].floor", value: "\(floor)", reason: "floors must be finite and strictly ascending")
            }
            guard leverage.isFinite, leverage >= 1 else {
                throw ParameterError(field: "tiers[\(k)].max_leverage", value: "\(leverage)", reason: "must be a number ≥ 1")
            }
            guard rate.isFinite, rate > 0, rate <= 1 else {
                throw ParameterError(field: "tiers[\(k)].maintenance_rate", value: "\(rate)", reason: "must be in (0, 1]")
            }
            guard rate <= 1 / leverage * (1 + 1e-12) else {
                throw ParameterError(field: "tiers[\(k)].maintenance_rate", value: "\(rate)",
                                     reason: "exceeds the initial rate 1/max_leverage = \(1 / leverage): initial margin would be below maintenance")
            }
            if k > 0 {
                guard rate >= built[k - 1].maintenanceRate else {
                    throw ParameterError(field: "tiers[\(k)].maintenance_rate", value: "\(rate)", reason: "rates must not decrease with notional")
                }
                if measure == .notional { deduction += floor * (rate - built[k - 1].maintenanceRate) }
            }
            if let stated = statedDeductions {
                guard stated.count == floors.count else {
                    throw ParameterError(field: "tiers", value: "\(stated.count) deductions", reason: "give a deduction for every tier or none")
                }
                guard abs(stated[k] - deduction) <= 1e-9 * max(1, abs(deduction)) else {
                    throw ParameterError(field: "tiers[\(k)].deduction", value: "\(stated[k])",
                                         reason: "inconsistent with continuity at the floor: the cum rule gives \(deduction)")
                }
            }
            built.append(Tier(floor: floor, maxLeverage: leverage, maintenanceRate: rate, deduction: deduction))
        }
        tiers = built
        self.initialRule = initialRule
        self.measure = measure
    }

    /// A Hyperliquid-style ladder: the maintenance rate of each tier is half its initial rate, 1/(2·maxLeverage)
    /// (Hyperliquid docs, "margin tiers").
    public static func halfInitial(floors: [Double], maxLeverages: [Double], initialRule: InitialRule = .whole,
                                   measure: Measure = .notional) throws(ParameterError) -> TierTable {
        try TierTable(floors: floors, maxLeverages: maxLeverages, maintenanceRates: maxLeverages.map { 1 / (2 * $0) }, initialRule: initialRule,
                      measure: measure)
    }

    /// The tier a notional falls in: the last whose floor is ≤ `notional`.
    /// - Complexity: O(tiers), branch-free.
    public func tierIndex(notional: Double) -> Int {
        var index = 0
        for k in 1..<tiers.count { index &+= notional >= tiers[k].floor ? 1 : 0 }
        return index
    }

    /// The tier of a position of notional `notional` and `contracts` contracts (either sign): by the measure the
    /// floors are in.
    public func tierIndex(notional: Double, contracts: Double) -> Int {
        tierIndex(notional: measure == .contracts ? abs(contracts) : notional)
    }

    /// The IM rate of `notional` in tier `tier` (``tierIndex(notional:)``) for a chosen leverage rate `leverageRate`
    /// (1/leverage, or −∞ without one); the position's IM is notional × max(this, `leverageRate`).
    ///
    /// Whole: 1/maxLevₖ. Sliced: the average rate Σⱼ sliceⱼ·max(1/maxLevⱼ, leverageRate) / V, which is never below
    /// `leverageRate`, so the caller's maximum keeps it (V = 0 or not finite: the first tier's rate).
    /// - Complexity: O(1) whole, O(tiers) sliced.
    public func initialRate(notional: Double, tier: Int, leverageRate: Double) -> Double {
        switch initialRule {
        case .whole:
            return 1 / tiers[tier].maxLeverage
        case .sliced:
            guard notional > 0, notional.isFinite else { return 1 / tiers[0].maxLeverage }
            var initial = 0.0
            for (k, bracket) in tiers.enumerated() where bracket.floor < notional {
                let ceiling = k + 1 < tiers.count ? min(notional, tiers[k + 1].floor) : notional
                initial += (ceiling - bracket.floor) * max(1 / bracket.maxLeverage, leverageRate)
            }
            return initial / notional
        }
    }

    /// MM = V·MMRₖ − cumₖ for the tier of `notional` (a ladder measured in notional).
    public func maintenance(notional: Double) -> Double {
        let tier = tiers[tierIndex(notional: notional)]
        return notional * tier.maintenanceRate - tier.deduction
    }
}
