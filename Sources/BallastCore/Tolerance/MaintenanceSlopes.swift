/// For every futures or perpetual instrument of a context, a bound on how fast its maintenance requirement can grow
/// with notional: the slope dMM/dV over notionals up to a given one. ``StateTolerance`` needs it to bound how far the
/// requirement can move when prices move.
///
/// - Tiered schedules with the cum rule: MM(V) = V·MMRₖ − cumₖ is continuous and piecewise linear with slope MMRₖ, and
///   rates never decrease with notional, so over [0, V] the slope is at most the rate of the tier holding V.
/// - Size-scaled rates, the size premium and open-interest-scaled rates: at a fixed size (linear contracts) or open interest, MM = V·rate is
///   linear in V with slope `rate`. For inverse contracts the size in coin moves with the price, so no bound is given.
/// - Ladders measured in contracts: the size fixes the tier, so MM = V·MMRₖ is linear in V (inverse contracts too).
/// - BitMEX-style risk-limit steps and initial-fraction ladders jump at every boundary: no bound (the requirement is not
///   continuous).
public struct MaintenanceSlopes: Sendable {
    /// How one instrument's maintenance grows with notional.
    enum Slope: Sendable {
        /// Tiered: the tiers' floors (ascending) and rates are ``floors`` and ``rates`` at `tiers`.
        case tiered(tiers: Range<Int>)
        /// Linear in notional at the position's own rate MM/V (linear contracts with scaled rates).
        case proportional
        /// No continuous bound (risk-limit steps, size-scaled inverse contracts) or not a future.
        case unbounded
    }

    let slopes: [Slope]
    /// Every tiered instrument's floors, one after another (flat, so a lookup copies no array out of an enum).
    let floors: [Double]
    /// The rate of each floor: the tier's maintenance rate plus a fee to close at the mark.
    let rates: [Double]

    /// The slopes of every instrument of `context`.
    public init(context: RiskContext) {
        var floors: [Double] = []
        var rates: [Double] = []
        slopes = context.catalog.instruments.indices.map { index -> Slope in
            guard let schedule = context.details[index].schedule else { return .unbounded }
            let inverse = context.instruments[index].form == .inverse
            switch schedule.shape {
            case .tiered(let table) where table.measure == .contracts:
                // The tier is fixed by the size, so MM = V·(MMRₖ + fee) is linear in V, inverse contracts included.
                return .proportional
            case .tiered(let table):
                // A fee to close at the mark is part of MM at the same notional; one at the bankruptcy price from entry
                // does not move with the price.
                let feeRate = schedule.maintenanceCloseFeeBasis == .mark ? schedule.closeFeeRate : 0
                // A table has at least one tier (``TierTable`` refuses an empty one), so every range reads its own rates.
                precondition(!table.tiers.isEmpty, "a tier table without tiers")
                let start = floors.count
                floors.append(contentsOf: table.tiers.map(\.floor))
                rates.append(contentsOf: table.tiers.map { $0.maintenanceRate + feeRate })
                return .tiered(tiers: start..<floors.count)
            case .sizeScaled, .sizePremium:
                return inverse ? .unbounded : .proportional
            case .openInterestScaled:
                return .proportional
            case .riskLimitSteps, .initialFraction:
                return .unbounded
            }
        }
        self.floors = floors
        self.rates = rates
    }

    /// A bound on dMM/dV for every notional in [0, `upTo`] of `instrument`, given the position's current
    /// maintenance `maintenance` at notional `notional` (used by proportional schedules); `nil` if there is none.
    public func bound(_ instrument: InstrumentID, upTo: Double, maintenance: Double, notional: Double) -> Double? {
        switch slopes[instrument.index] {
        case .tiered(let tiers):
            // The rate of the tier holding `upTo` (a table has at least one tier).
            var k = tiers.lowerBound
            while k + 1 < tiers.upperBound && upTo >= floors[k + 1] { k += 1 }
            return rates[k]
        case .proportional:
            return notional > 0 ? maintenance / notional : 0
        case .unbounded:
            return nil
        }
    }
}
